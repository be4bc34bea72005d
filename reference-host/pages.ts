// The host's own two pages. Plain strings: the host escapes what it interpolates.

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

function layout(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>${body}</body></html>`;
}

export function renderHome(username: string | null): string {
  const who = username
    ? `<p>Signed in as ${escapeHtml(username)}.</p><p><a href="/ops/jobs/">Jobs control plane</a></p><form method="post" action="/logout"><button type="submit">Sign out</button></form>`
    : '<p><a href="/login">Sign in</a></p>';
  return layout('Reference host', `<h1>Reference host</h1>${who}`);
}

export function renderLogin(problem: string | null): string {
  const notice = problem ? `<p role="alert">${escapeHtml(problem)}</p>` : '';
  return layout('Sign in', `<h1>Sign in</h1>${notice}
<form method="post" action="/login">
  <p><label for="username">Username</label> <input id="username" name="username" autocomplete="username"></p>
  <p><label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password"></p>
  <p><button type="submit">Sign in</button></p>
</form>`);
}

export function renderCrossSiteRejected(): string {
  return layout('Request rejected', `<h1>Request rejected</h1>
<p role="alert">Cross-site request rejected: sign in and sign out from this site's own pages. Nothing was changed.</p>
<p><a href="/">Home</a></p>`);
}

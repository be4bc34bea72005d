import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';

import { extendContentSecurityPolicy, type InlineCodeHashes } from '../../library/bridge/extend-content-security-policy';
import { hashInlineCode, replaceOffSiteFontUrls, rewriteDashboardHtml } from '../../library/bridge/rewrite-dashboard-html';

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

const noHashes: InlineCodeHashes = { scripts: [], styleElements: [], styleAttributes: [] };
const stylesheet = '/ops/jobs/assets/bridge-banner.css';
const banner = '\n<aside class="kjp-bridge-banner">bridge</aside>\n';

/** The shape of a 1.9 dashboard page: font links in head, inline scripts, style attributes. */
const dashboardPage = [
  '<!DOCTYPE html><html lang="en"><head><meta charSet="utf-8"/>',
  '<link rel="preconnect" href="https://fonts.googleapis.com"/>',
  '<link rel="preconnect" href="https://fonts.gstatic.com" crossorigin="anonymous"/>',
  '<link rel="stylesheet" href="/ops/jobs/pg-boss/assets/root-ERxoZafa.css"/>',
  '<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Geist:wght@300..700&amp;family=Geist+Mono:wght@400..600&amp;display=swap"/>',
  '<script>document.documentElement.classList.add("light")</script>',
  '</head><body class="bg-[var(--surface-app)]"><div style="--sidebar-width:11rem;--sidebar-width-icon:3.75rem" class="x">',
  '<div data-state="expanded" style="background:var(--sidebar-bg)">&quot;</div>',
  '<span data-style="not-a-style">x</span>',
  '</div><script src="/ops/jobs/pg-boss/assets/manifest-ff95a21d.js"></script>',
  '<script type="module" async="">import("/ops/jobs/pg-boss/assets/entry.client-BxPmF_3a.js");</script>',
  '</body></html>',
].join('');

describe('rewriteDashboardHtml', () => {
  test('rewriteDashboardHtml puts the banner first in body', () => {
    const { html } = rewriteDashboardHtml(dashboardPage, banner, stylesheet);

    assert.match(html, /<body class="bg-\[var\(--surface-app\)\]"><aside class="kjp-bridge-banner">bridge<\/aside><div style=/, 'no whitespace around the banner');
  });

  test('rewriteDashboardHtml prepends banner without body', () => {
    const { html } = rewriteDashboardHtml('<p>partial</p>', banner, stylesheet);

    assert.equal(html, '<aside class="kjp-bridge-banner">bridge</aside><link rel="stylesheet" href="/ops/jobs/assets/bridge-banner.css"/><p>partial</p>');
  });

  test('rewriteDashboardHtml removes every off-site URL', () => {
    const { html } = rewriteDashboardHtml(dashboardPage, banner, stylesheet);

    assert.doesNotMatch(html, /fonts\.googleapis\.com|fonts\.gstatic\.com/);
    assert.equal(html.split(`href="${stylesheet}"`).length - 1, 4, 'three font links re-pointed and one added');
    assert.match(html, /<link rel="preconnect" href="\/ops\/jobs\/assets\/bridge-banner.css" crossorigin="anonymous"\/>/, 'other attributes stay');
    assert.match(html, /<link rel="stylesheet" href="\/ops\/jobs\/assets\/bridge-banner.css"\/><\/head>/, 'the stylesheet is linked last in head');
  });

  test('rewriteDashboardHtml hashes the inline code', () => {
    const { hashes } = rewriteDashboardHtml(dashboardPage, banner, stylesheet);

    assert.deepEqual(hashes.scripts, [sha256('document.documentElement.classList.add("light")'), sha256('import("/ops/jobs/pg-boss/assets/entry.client-BxPmF_3a.js");')]);
    assert.deepEqual(hashes.styleAttributes, [sha256('--sidebar-width:11rem;--sidebar-width-icon:3.75rem'), sha256('background:var(--sidebar-bg)')]);
    assert.deepEqual(hashes.styleElements, []);
  });
});

describe('hashInlineCode', () => {
  test('hashInlineCode decodes attribute references', () => {
    const hashes = hashInlineCode(`<div style="content:&quot;a&amp;b&#x27;&#39;&gt;&#128512;&bogus;"></div><i style='color:red'></i>`);

    assert.deepEqual(hashes.styleAttributes, [sha256(`content:"a&b''>😀&bogus;`), sha256('color:red')]);
  });

  test('hashInlineCode hashes style elements', () => {
    const hashes = hashInlineCode('<style>.a{color:red}</style><style data-precedence="x">.b{}</style>');

    assert.deepEqual(hashes.styleElements, [sha256('.a{color:red}'), sha256('.b{}')]);
  });

  test('hashInlineCode skips empty and external scripts', () => {
    const hashes = hashInlineCode('<script></script><script src="/a.js"></script><script async src=/b.js></script><script id="_R_">x()</script>');

    assert.deepEqual(hashes.scripts, [sha256('x()')]);
  });
});

describe('replaceOffSiteFontUrls', () => {
  test('replaceOffSiteFontUrls rewrites the client module', () => {
    const rootModule = 'function tt(){return[{rel:`preconnect`,href:`https://fonts.googleapis.com`},{rel:`preconnect`,href:`https://fonts.gstatic.com`,crossOrigin:`anonymous`},{rel:`stylesheet`,href:`https://fonts.googleapis.com/css2?family=Geist:wght@300..700&family=Geist+Mono:wght@400..600&display=swap`}]}';

    const rewritten = replaceOffSiteFontUrls(rootModule, stylesheet);

    assert.equal(rewritten, 'function tt(){return[{rel:`preconnect`,href:`/ops/jobs/assets/bridge-banner.css`},{rel:`preconnect`,href:`/ops/jobs/assets/bridge-banner.css`,crossOrigin:`anonymous`},{rel:`stylesheet`,href:`/ops/jobs/assets/bridge-banner.css`}]}');
  });

  test('replaceOffSiteFontUrls leaves other URLs alone', () => {
    const text = 'see https://react.dev/errors/418 and http://www.w3.org/2000/svg';

    assert.equal(replaceOffSiteFontUrls(text, stylesheet), text);
  });
});

describe('extendContentSecurityPolicy', () => {
  const hashes: InlineCodeHashes = { scripts: ["'sha256-s1'", "'sha256-s2'", "'sha256-s1'"], styleElements: ["'sha256-e1'"], styleAttributes: ["'sha256-a1'"] };

  test('extendContentSecurityPolicy extends the reference host policy', () => {
    const policy = "default-src 'self'; script-src 'self'; style-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

    assert.equal(
      extendContentSecurityPolicy(policy, hashes),
      "default-src 'self'; script-src 'self' 'sha256-s1' 'sha256-s2'; style-src 'self' 'sha256-e1'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; style-src-attr 'unsafe-hashes' 'sha256-a1'; img-src 'self' data:",
    );
  });

  test('extendContentSecurityPolicy copies default-src', () => {
    assert.equal(
      extendContentSecurityPolicy("default-src 'self' https://cdn.example", hashes),
      "default-src 'self' https://cdn.example; script-src 'self' https://cdn.example 'sha256-s1' 'sha256-s2'; style-src-elem 'self' https://cdn.example 'sha256-e1'; style-src-attr 'unsafe-hashes' 'sha256-a1'; img-src 'self' https://cdn.example data:",
    );
  });

  test('extendContentSecurityPolicy prefers specific directives', () => {
    const policy = "script-src 'self'; script-src-elem 'self' 'nonce-abc'; style-src-attr 'none'; img-src *";

    assert.equal(
      extendContentSecurityPolicy(policy, hashes),
      "script-src 'self'; script-src-elem 'self' 'nonce-abc' 'sha256-s1' 'sha256-s2'; style-src-attr 'unsafe-hashes' 'sha256-a1'; img-src * data:",
    );
  });

  test('extendContentSecurityPolicy replaces none', () => {
    assert.equal(extendContentSecurityPolicy("script-src 'none'", { ...noHashes, scripts: ["'sha256-s1'"] }), "script-src 'sha256-s1'");
  });

  test('extendContentSecurityPolicy leaves unrestricted kinds', () => {
    assert.equal(extendContentSecurityPolicy("frame-ancestors 'none'", hashes), "frame-ancestors 'none'");
    assert.equal(extendContentSecurityPolicy("img-src 'self' data:", noHashes), "img-src 'self' data:");
  });

  test('extendContentSecurityPolicy extends each policy', () => {
    assert.equal(
      extendContentSecurityPolicy("script-src 'self', script-src 'self' 'strict-dynamic'", { ...noHashes, scripts: ["'sha256-s1'"] }),
      "script-src 'self' 'sha256-s1', script-src 'self' 'strict-dynamic' 'sha256-s1'",
    );
  });

  test('extendContentSecurityPolicy keeps the first duplicate', () => {
    assert.equal(extendContentSecurityPolicy("Script-Src 'self'; script-src *", { ...noHashes, scripts: ["'sha256-s1'"] }), "script-src 'self' 'sha256-s1'");
  });
});

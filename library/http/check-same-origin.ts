import type { Context } from 'koa';

import { OperatorError } from '../errors';

/**
 * Returns false for a request that a browser sent from another origin. Browsers send `Origin`
 * with every form POST and `Sec-Fetch-Site` with every request, so a cross-site forgery always
 * carries one of them. Requests with neither come from non-browser clients, which cannot ride
 * on a signed-in user's cookies, so they count as same-origin. Hosts can use it for their own
 * forms. Behind a reverse proxy it needs `app.proxy`, because it compares `Origin` with the
 * origin Koa builds from the request.
 */
export function isSameOriginRequest(ctx: Context): boolean {
  const origin = ctx.get('Origin');
  // Koa 3's ctx.origin returns the request's Origin header, so the server's own origin is built here.
  const ownOrigin = `${ctx.protocol}://${ctx.host}`;
  if (origin) return origin !== 'null' && origin === ownOrigin;

  const fetchSite = ctx.get('Sec-Fetch-Site');
  return !fetchSite || fetchSite === 'same-origin' || fetchSite === 'none';
}

/**
 * Rejects a state-changing request that a browser sent from another origin (see
 * `isSameOriginRequest`). For a request with neither header, the one-time preview token still
 * binds the confirmation to its operator.
 */
export function checkSameOrigin(ctx: Context): void {
  if (isSameOriginRequest(ctx)) return;
  throw new OperatorError(403, 'Cross-site request rejected: the form must be submitted from this control plane. Nothing was changed.');
}

import type { Context } from 'koa';

import { OperatorError } from '../errors';

/**
 * Rejects a state-changing request that a browser sent from another origin. Browsers send
 * `Origin` with every form POST and `Sec-Fetch-Site` with every request, so a cross-site
 * forgery always carries one of them. Requests with neither come from non-browser clients,
 * which cannot ride on the operator's cookies; the one-time preview token still binds them.
 */
export function checkSameOrigin(ctx: Context): void {
  const origin = ctx.get('Origin');
  // Koa 3's ctx.origin returns the request's Origin header, so the server's own origin is built here.
  const ownOrigin = `${ctx.protocol}://${ctx.host}`;
  if (origin && origin !== 'null' && origin === ownOrigin) return;
  if (origin) {
    throw new OperatorError(403, 'Cross-site request rejected: the form must be submitted from this control plane. Nothing was changed.');
  }

  const fetchSite = ctx.get('Sec-Fetch-Site');
  if (fetchSite && fetchSite !== 'same-origin' && fetchSite !== 'none') {
    throw new OperatorError(403, 'Cross-site request rejected: the form must be submitted from this control plane. Nothing was changed.');
  }
}

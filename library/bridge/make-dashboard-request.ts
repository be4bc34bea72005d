import type { Context } from 'koa';

import type { BridgeLocation } from './locate-bridge';

/**
 * Request headers the dashboard may see. Everything else stays with the host: cookies (the
 * host's session, and the dashboard's own `pgboss_db` database choice), `Authorization`,
 * `Origin`, `Referer` and the proxy's `X-Forwarded-*`.
 */
const forwardedHeaders = ['accept', 'accept-language', 'user-agent', 'if-none-match', 'if-modified-since'];

/**
 * Query parameters removed before the dashboard reads the URL: `db` selects one of the
 * dashboard's configured databases, and the bridge pins the host's.
 */
const strippedParameters = ['db'];

/**
 * Builds the Fetch request the dashboard handler receives for a read: the same method, the
 * browser's view of the URL (so the dashboard's base path matches), no body, and only the
 * headers in `forwardedHeaders`.
 */
export function makeDashboardRequest(ctx: Context, location: BridgeLocation): Request {
  const search = new URLSearchParams(ctx.querystring);
  for (const name of strippedParameters) search.delete(name);
  const query = search.toString();

  const headers = new Headers();
  for (const name of forwardedHeaders) {
    const value = ctx.get(name);
    if (value) headers.set(name, value);
  }

  const url = `${readOrigin(ctx)}${location.publicBasePath}${location.dashboardPath}${query ? `?${query}` : ''}`;
  return new Request(url, { method: ctx.method === 'HEAD' ? 'HEAD' : 'GET', headers });
}

/**
 * Returns the request's origin. The dashboard builds no absolute URL from it in 1.9, so a Host
 * header that does not parse falls back to a placeholder instead of failing the read.
 */
function readOrigin(ctx: Context): string {
  const origin = `${ctx.protocol}://${ctx.host}`;
  try {
    return new URL(origin).origin;
  } catch {
    return 'http://host.invalid';
  }
}

import type { Context } from 'koa';

/** The segment below the mount that the bridge is served at. */
export const bridgeSegment = 'pg-boss';

export interface BridgeLocation {
  /** The mount in the browser's URL, without a trailing slash: `/ops/jobs`, or `` at the root. */
  publicMountPath: string;
  /** The dashboard's base path in the browser's URL: `${publicMountPath}/pg-boss`. */
  publicBasePath: string;
  /** The raw path below the base path: ``, `/`, `.data`, `/queues/emails`, ... */
  dashboardPath: string;
}

const safePrefix = /^(\/[A-Za-z0-9._~-]+)+$/;

/** The characters @pg-boss/dashboard 1.9 accepts in a base path (`SAFE_BASE_PATH` in its handler). */
const safeBasePath = /^[A-Za-z0-9._~/-]*$/;

/**
 * Finds where the bridge sits in the browser's URL, so the dashboard can be given the base path
 * its links and assets must use. Three things can stand between the browser and the route:
 *
 * - the host's routers, which keep the full path in `ctx.path`;
 * - a middleware such as koa-mount, which strips its prefix from `ctx.path` but keeps
 *   `ctx.originalUrl`;
 * - a reverse proxy that strips a prefix and names it in `X-Forwarded-Prefix`, which is
 *   believed only when the host trusts its proxy headers (`app.proxy`).
 *
 * `rest` is the route's decoded wildcard parameter (the part after `/pg-boss/`), or undefined
 * for `/pg-boss`, `/pg-boss/` and `/pg-boss.data`. Returns null when the path does not
 * contain the bridge segment where the route matched it, or when the public base path has a
 * character the dashboard does not accept in a base path.
 */
export function locateBridge(ctx: Context, rest: string | undefined): BridgeLocation | null {
  const marker = findBridgeMarker(ctx.path, rest);
  if (marker === -1) return null;

  const bridgeTail = ctx.path.slice(marker);
  const originalPath = readOriginalPath(ctx);
  let publicMountPath = originalPath.endsWith(bridgeTail) ? originalPath.slice(0, originalPath.length - bridgeTail.length) : ctx.path.slice(0, marker);

  const forwardedPrefix = ctx.app.proxy ? ctx.get('X-Forwarded-Prefix').replace(/\/+$/, '') : '';
  if (forwardedPrefix && safePrefix.test(forwardedPrefix) && !forwardedPrefix.split('/').some((segment) => segment === '.' || segment === '..')) {
    publicMountPath = forwardedPrefix + publicMountPath;
  }

  if (!safeBasePath.test(publicMountPath)) return null;
  return {
    publicMountPath,
    publicBasePath: `${publicMountPath}/${bridgeSegment}`,
    dashboardPath: bridgeTail.slice(bridgeSegment.length + 1),
  };
}

/**
 * Returns the index of `/pg-boss` in `path` where the bridge starts. With a wildcard, the
 * candidate whose remainder decodes to `rest` wins, so a mount or a queue that is itself named
 * `pg-boss` is not mistaken for the bridge.
 */
function findBridgeMarker(path: string, rest: string | undefined): number {
  const marker = `/${bridgeSegment}`;
  if (rest === undefined) {
    for (const ending of [marker, `${marker}/`, `${marker}.data`]) {
      if (path.endsWith(ending)) return path.length - ending.length;
    }
    return -1;
  }

  let index = path.indexOf(`${marker}/`);
  while (index !== -1) {
    if (safeDecode(path.slice(index + marker.length + 1)) === rest) return index;
    index = path.indexOf(`${marker}/`, index + 1);
  }
  return -1;
}

function readOriginalPath(ctx: Context): string {
  try {
    return new URL(ctx.originalUrl, 'http://host.invalid').pathname;
  } catch {
    // An unparsable original URL cannot tell more than ctx.path already does.
    return ctx.path;
  }
}

/** Decodes like @koa/router does for its parameters: a malformed escape leaves the text as is. */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

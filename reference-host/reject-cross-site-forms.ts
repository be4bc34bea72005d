import type { Middleware } from 'koa';
import type { Logger as PinoLogger } from 'pino';

import { isSameOriginRequest } from '../library';
import { renderCrossSiteRejected } from './pages';

/**
 * Makes the guard for the host's own form posts (`/login`, `/logout`). It applies the same
 * origin check as the control plane's confirmations, so another site cannot sign a visitor in
 * to its own account or sign them out. A rejected post gets 403 before the route's handler
 * runs, so the session stays as it was.
 */
export function makeCrossSiteFormGuard(logger: PinoLogger): Middleware {
  return async (ctx, next) => {
    if (isSameOriginRequest(ctx)) {
      await next();
      return;
    }

    logger.warn({ event: 'form:cross_site_rejected', path: ctx.path }, 'cross-site form post rejected');
    ctx.status = 403;
    ctx.type = 'html';
    ctx.body = renderCrossSiteRejected();
  };
}

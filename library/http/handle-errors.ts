import { randomUUID } from 'node:crypto';

import type { Middleware } from 'koa';
import type nunjucks from 'nunjucks';

import type { PowertoolsEvents } from '../events/powertools-events';

/**
 * Renders every error raised below it. A 4xx error shows its message, which the code that
 * raised it wrote for operators. Anything else becomes a 500 page with an error id. The error
 * itself, with its stack, goes only to the `request:failed` event and so to the host's log.
 */
export function handleErrors(templates: nunjucks.Environment, events: PowertoolsEvents): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      const status = (error as { status?: number }).status;
      const expose = typeof status === 'number' && status >= 400 && status < 500 && (error as { expose?: boolean }).expose !== false;
      ctx.type = 'html';
      ctx.set('Cache-Control', 'no-store');

      if (expose) {
        ctx.status = status;
        ctx.body = templates.render('notice.njk', { root: ctx.state.powertoolsRoot ?? './', title: 'Request refused', message: (error as Error).message, status });
        return;
      }

      const errorId = randomUUID();
      events.emit('request:failed', { errorId, method: ctx.method, path: ctx.path, error });
      ctx.status = 500;
      ctx.body = templates.render('notice.njk', {
        root: ctx.state.powertoolsRoot ?? './',
        title: 'Something went wrong',
        message: `The control plane could not finish this request. Give your host team the error id ${errorId}; the details are in the host's log.`,
        status: 500,
      });
    }
  };
}

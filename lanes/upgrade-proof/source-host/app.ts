import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';
import { createPowertools } from 'koa-jobs-powertools';
import session from 'koa-session';
import type { Pool } from 'pg';
import type { PgBoss } from 'pg-boss';
import type { Logger } from 'pino';

import { makeJobsAuth } from './jobs-auth';
import { checkLogin } from './operators';

export function makeApp(pool: Pool, boss: PgBoss, logger: Logger, keys: string[]) {
  const app = new Koa({ keys });
  app.use(async (ctx, next) => {
    ctx.set('Content-Security-Policy', "default-src 'self'; script-src 'none'; frame-ancestors 'none'");
    ctx.set('X-Content-Type-Options', 'nosniff');
    await next();
  });
  app.use(session({ key: 'billing.sid', httpOnly: true, sameSite: 'lax' }, app));
  app.use(bodyParser({ enableTypes: ['form'] }));

  const powertools = createPowertools({
    repo: pool,
    auth: makeJobsAuth(pool),
    boss,
    logger,
    cronEntries: [
      { name: 'nightly_sync', schedule: '30 1 * * *', timezone: 'Europe/Berlin', queue: 'nightly_sync', args: { ledger: 'main' } },
      { name: 'weekly_report', schedule: '0 6 * * 1', timezone: 'Europe/Berlin', queue: 'reports', args: { format: 'pdf' } },
    ],
  });

  const pages = new Router();
  pages.get('/', (ctx) => {
    ctx.body = '<!doctype html><title>Billing</title><h1>Billing</h1><p><a href="/login">Sign in</a> · <a href="/ops/jobs/">Jobs</a></p>';
  });
  pages.get('/login', (ctx) => {
    ctx.body = `<!doctype html><title>Sign in</title><h1>Sign in</h1>
<form method="post" action="/login">
<p><label for="username">Username</label> <input id="username" name="username"></p>
<p><label for="password">Password</label> <input id="password" name="password" type="password"></p>
<p><button type="submit">Sign in</button></p></form>`;
  });
  pages.post('/login', async (ctx) => {
    const { username, password } = ctx.request.body as { username?: string; password?: string };
    const operator = await checkLogin(pool, String(username ?? ''), String(password ?? ''));
    if (!operator) {
      ctx.status = 401;
      ctx.body = '<!doctype html><title>Sign in</title><p role="alert">Wrong login.</p>';
      return;
    }
    ctx.session!.operatorId = operator.id;
    ctx.redirect('/');
  });

  const jobs = new Router({ prefix: '/ops/jobs' });
  jobs.use(async (ctx, next) => {
    if (!ctx.session?.operatorId) return ctx.redirect('/login');
    await next();
  });
  jobs.use(powertools.router.routes(), powertools.router.allowedMethods());

  app.use(pages.routes()).use(jobs.routes());
  return { app, powertools };
}

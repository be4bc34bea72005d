import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';
import session from 'koa-session';
import type { Pool } from 'pg';
import type { PgBoss } from 'pg-boss';
import type { Logger as PinoLogger } from 'pino';

import { createPowertools, type Powertools } from '../library';
import { makeHostAuth } from './auth';
import { hostDisplayPolicy } from './display-policy';
import { renderHome, renderLogin } from './pages';
import { makeCrossSiteFormGuard } from './reject-cross-site-forms';
import { verifyUser } from './users';

/**
 * Reads REFERENCE_HOST_BRIDGE: `enabled` mounts the read-only pg-boss dashboard bridge at
 * /ops/jobs/pg-boss; `disabled` or unset leaves it out.
 */
export function readBridgeChoice(env: NodeJS.ProcessEnv): boolean {
  const value = env.REFERENCE_HOST_BRIDGE ?? 'disabled';
  if (value !== 'enabled' && value !== 'disabled') {
    throw new Error(`REFERENCE_HOST_BRIDGE must be "enabled" or "disabled", got ${JSON.stringify(value)}.`);
  }
  return value === 'enabled';
}

export interface HostApp {
  app: Koa;
  powertools: Powertools;
}

/** Cron entries the reference host declares in code; the library syncs them at start. */
export const hostCronEntries = [
  { name: 'nightly_sync', schedule: '0 2 * * *', timezone: 'Europe/Berlin', queue: 'nightly_sync', args: { source: 'crm', full: false } },
  { name: 'hourly_digest', schedule: '0 * * * *', timezone: 'UTC', queue: 'digest', args: { channel: 'ops' } },
];

/**
 * The reference Koa host: its own pipeline (security headers, session, login), with the
 * control plane mounted at /ops/jobs inside that pipeline, behind a signed-in check.
 */
export function makeHostApp(deps: { pool: Pool; boss: PgBoss; logger: PinoLogger; sessionKeys: string[]; trustProxy: boolean }): HostApp {
  const { pool, boss, logger } = deps;
  const app = new Koa({ keys: deps.sessionKeys, proxy: deps.trustProxy });
  app.on('error', (error, ctx) => logger.error({ err: error, path: ctx?.path }, 'request failed'));

  app.use(async (ctx, next) => {
    ctx.set('Content-Security-Policy', "default-src 'self'; script-src 'self'; style-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'same-origin');
    await next();
  });
  app.use(session({ key: 'host.sess', httpOnly: true, sameSite: 'lax', signed: true, maxAge: 8 * 60 * 60 * 1000 }, app));
  app.use(bodyParser({ enableTypes: ['form'], formLimit: '16kb' }));

  const powertools = createPowertools({
    repo: pool,
    auth: makeHostAuth(pool),
    displayPolicy: hostDisplayPolicy,
    boss,
    logger: logger.child({ component: 'jobs-powertools' }),
    cronEntries: hostCronEntries,
    schedulerIntervalSeconds: 2,
    // The host's content security policy allows script-src 'self', so the overview may refresh itself.
    liveUpdates: true,
    bridge: readBridgeChoice(process.env) ? { enabled: true } : false,
  });

  // The host's own forms get the origin check the control plane applies to its confirmations.
  const rejectCrossSiteForms = makeCrossSiteFormGuard(logger);
  const site = new Router();
  site.get('/', (ctx) => {
    ctx.type = 'html';
    ctx.body = renderHome(ctx.session?.username ?? null);
  });
  site.get('/login', (ctx) => {
    ctx.type = 'html';
    ctx.body = renderLogin(null);
  });
  site.post('/login', rejectCrossSiteForms, async (ctx) => {
    const body = ctx.request.body as Record<string, unknown>;
    const username = typeof body.username === 'string' ? body.username : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const user = await verifyUser(pool, username, password);
    if (!user) {
      logger.info({ event: 'login:failed' }, 'login failed');
      ctx.status = 401;
      ctx.type = 'html';
      ctx.body = renderLogin('Unknown user or wrong password.');
      return;
    }
    ctx.session!.userId = user.id;
    ctx.session!.username = user.username;
    logger.info({ event: 'login:succeeded', userId: user.id }, 'login succeeded');
    ctx.redirect('/');
  });
  site.post('/logout', rejectCrossSiteForms, (ctx) => {
    ctx.session = null;
    ctx.redirect('/');
  });

  // The host-owned scope: only signed-in users reach the control plane; it decides the rest.
  const ops = new Router({ prefix: '/ops/jobs' });
  ops.use(async (ctx, next) => {
    if (typeof ctx.session?.userId !== 'string') {
      ctx.redirect('/login');
      return;
    }
    await next();
  });
  ops.use(powertools.router.routes(), powertools.router.allowedMethods());

  app.use(site.routes()).use(site.allowedMethods());
  app.use(ops.routes()).use(ops.allowedMethods());
  return { app, powertools };
}

import type { AddressInfo } from 'node:net';

import Router from '@koa/router';
import Koa from 'koa';
import type { Context } from 'koa';
import { PgBoss } from 'pg-boss';

import { type AuthModule, createPowertools, type PowertoolsEventMap, type PowertoolsOptions } from '../../../library';
import type { TestDatabaseHandle } from '../../support/use-test-database';
import { principalOf, type TestUser, testUserHeader, testUsers } from './test-roles';

/** The queue the bridge tests seed and look at. */
export const emailsQueue = 'emails';

const viewActions = ['view_overview', 'view_cron', 'view_audit', 'view_forensics', 'view_jobs'];

/**
 * The bridge tests' auth seam: the `x-test-user` header names the actor, and only the operator
 * has `view_pg_boss_bridge`, so the viewer reads native pages but not the bridge.
 */
export const bridgeHeaderAuth: AuthModule = {
  currentActor(ctx: Context) {
    const username = ctx.get(testUserHeader);
    return Object.values(testUsers).find((user) => user.username === username) ?? null;
  },
  authorize(actor, action) {
    const user = actor as TestUser;
    const allowed = user.role === 'operator' ? [...viewActions, 'view_pg_boss_bridge', 'retry_job', 'cancel_job'] : user.role === 'viewer' ? viewActions : [];
    return allowed.includes(action) ? { allowed: true } : { allowed: false, reason: `role ${user.role} does not grant ${action}` };
  },
  auditPrincipal: (actor) => principalOf(actor as TestUser),
};

export interface BridgeHostOptions {
  /** Where the host mounts the control plane. Default `/ops/jobs`. */
  prefix?: string;
  /**
   * `router` nests the control plane in a prefixed router, as the reference host does;
   * `stripped` removes the prefix from `ctx.path` first, as koa-mount does.
   */
  mount?: 'router' | 'stripped';
  /** Koa's `proxy` setting: whether X-Forwarded-* headers are trusted. */
  proxy?: boolean;
  bridge?: PowertoolsOptions['bridge'];
  /** A Content-Security-Policy the host sets on every response before the control plane runs. */
  contentSecurityPolicy?: string;
}

export interface BridgeResponse {
  status: number;
  headers: Headers;
  body: string;
}

export interface BridgeHost {
  origin: string;
  prefix: string;
  boss: PgBoss;
  powertools: ReturnType<typeof createPowertools>;
  /** Requests `path` below the host root as `user`; `null` sends no user. */
  request(path: string, options?: { user?: TestUser | null; method?: string; form?: Record<string, string>; headers?: Record<string, string> }): Promise<BridgeResponse>;
  events: { [Name in 'action:refused' | 'request:failed']: Array<PowertoolsEventMap[Name][0]> };
}

/**
 * Starts pg-boss on the test database and stops it after the test. It neither supervises nor
 * registers itself, so nothing but the test writes to the `pgboss` tables and a snapshot before
 * and after a request compares exactly.
 */
export async function startBridgeBoss(database: TestDatabaseHandle): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString: database.url, schedule: false, supervise: false, registerInstance: false, max: 2 });
  boss.on('error', (error) => process.stderr.write(`pg-boss error in test: ${String(error)}\n`));
  await boss.start();
  database.cleanUpAfterTest(() => boss.stop({ graceful: false }));
  return boss;
}

/**
 * Starts a Koa host with the control plane and the bridge, on a free loopback port. The bridge's
 * dashboard handlers are closed after the test with `runtime.stop()`.
 */
export async function startBridgeHost(database: TestDatabaseHandle, boss: PgBoss, options: BridgeHostOptions = {}): Promise<BridgeHost> {
  const prefix = options.prefix ?? '/ops/jobs';
  const powertools = createPowertools({
    repo: database.pool,
    auth: bridgeHeaderAuth,
    displayPolicy: { display: () => null },
    boss,
    deniedRedirect: '/login',
    bridge: options.bridge ?? { enabled: true },
  });
  database.cleanUpAfterTest(() => powertools.runtime.stop());
  const events: BridgeHost['events'] = { 'action:refused': [], 'request:failed': [] };
  powertools.events.on('action:refused', (event) => events['action:refused'].push(event));
  powertools.events.on('request:failed', (event) => events['request:failed'].push(event));

  const app = new Koa({ proxy: options.proxy ?? false });
  if (options.contentSecurityPolicy) {
    const policy = options.contentSecurityPolicy;
    app.use(async (ctx, next) => {
      ctx.set('Content-Security-Policy', policy);
      await next();
    });
  }
  if (options.mount === 'stripped') {
    app.use(stripPrefix(prefix, powertools.router.routes() as unknown as Koa.Middleware));
  } else {
    const scope = new Router({ prefix });
    scope.use(powertools.router.routes(), powertools.router.allowedMethods());
    app.use(scope.routes()).use(scope.allowedMethods());
  }

  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  database.cleanUpAfterTest(() => new Promise((resolve) => server.close(resolve)));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    prefix,
    boss,
    powertools,
    events,
    async request(path, requestOptions = {}) {
      const user = requestOptions.user === undefined ? testUsers.operator : requestOptions.user;
      const headers: Record<string, string> = { accept: 'text/html', ...requestOptions.headers };
      if (user) headers[testUserHeader] = user.username;
      if (requestOptions.form) headers['content-type'] = 'application/x-www-form-urlencoded';
      const response = await fetch(new URL(path, origin), {
        method: requestOptions.method ?? (requestOptions.form ? 'POST' : 'GET'),
        headers,
        body: requestOptions.form ? new URLSearchParams(requestOptions.form) : undefined,
        redirect: 'manual',
      });
      return { status: response.status, headers: response.headers, body: await response.text() };
    },
  };
}

/** Mounts `middleware` below `prefix` the way koa-mount does: `ctx.path` loses the prefix, `ctx.originalUrl` keeps it. */
function stripPrefix(prefix: string, middleware: Koa.Middleware): Koa.Middleware {
  return async (ctx, next) => {
    if (ctx.path !== prefix && !ctx.path.startsWith(`${prefix}/`)) return next();
    const original = ctx.path;
    ctx.path = original.slice(prefix.length) || '/';
    try {
      await middleware(ctx, async () => {
        ctx.path = original;
        await next();
      });
    } finally {
      ctx.path = original;
    }
  };
}

/** Lists every `href` and `src` of a page, with `&amp;` decoded. */
export function listUrls(body: string): string[] {
  return [...body.matchAll(/\s(?:href|src)="([^"]*)"/g)].map((match) => match[1].replaceAll('&amp;', '&'));
}

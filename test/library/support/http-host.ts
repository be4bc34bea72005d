import type { AddressInfo } from 'node:net';

import Router from '@koa/router';
import Koa from 'koa';
import { PgBoss } from 'pg-boss';

import { type AuthModule, createPowertools, type DisplayPolicy, type PowertoolsEventMap } from '../../../library';
import type { TestDatabaseHandle } from '../../support/use-test-database';
import { headerAuth, libraryDefaultDisplay, type TestUser, testUserHeader, testUsers } from './test-roles';

export interface PageResponse {
  status: number;
  /** The Location header resolved against the request URL, as a browser would. */
  location: URL | null;
  rawLocation: string | null;
  body: string;
}

export interface RequestOptions {
  user?: TestUser;
  method?: 'GET' | 'POST';
  form?: Record<string, string>;
  headers?: Record<string, string>;
}

export interface HttpHost {
  origin: string;
  /** The mount with its trailing slash, e.g. http://127.0.0.1:1234/ops/jobs/ */
  mountUrl: URL;
  prefix: string;
  /** Requests `path`, resolved against the mount URL like a relative link. */
  request(path: string, options?: RequestOptions): Promise<PageResponse>;
  /** Posts the confirm form of a preview page from the control plane's own origin. */
  confirm(path: string, form: Record<string, string>, user?: TestUser, headers?: Record<string, string>): Promise<PageResponse>;
  events: { [Name in keyof PowertoolsEventMap]?: Array<PowertoolsEventMap[Name][0]> };
  /** Errors that reached Koa's own error handler. The library renders its errors itself, so this stays empty. */
  koaErrors: unknown[];
}

/**
 * Starts a Koa host that mounts the control plane under `prefix` inside its own router scope,
 * as the reference host does, listening on a free loopback port.
 */
export async function startHttpHost(database: TestDatabaseHandle, options: { prefix?: string; displayPolicy?: DisplayPolicy; deniedRedirect?: string; auth?: AuthModule } = {}): Promise<HttpHost> {
  const prefix = options.prefix ?? '/ops/jobs';
  const boss = new PgBoss({ connectionString: database.url, schedule: false, supervise: false, max: 2 });
  boss.on('error', (error) => process.stderr.write(`pg-boss error in test: ${String(error)}\n`));
  await boss.start();
  database.cleanUpAfterTest(() => boss.stop({ graceful: false }));

  const powertools = createPowertools({
    repo: database.pool,
    auth: options.auth ?? headerAuth,
    displayPolicy: options.displayPolicy ?? libraryDefaultDisplay,
    boss,
    ...(options.deniedRedirect ? { deniedRedirect: options.deniedRedirect } : {}),
  });
  const events: HttpHost['events'] = {};
  for (const name of ['action:performed', 'action:refused', 'display:failed', 'request:failed'] as const) {
    const received: unknown[] = [];
    events[name] = received as never;
    powertools.events.on(name, (event: unknown) => received.push(event));
  }

  const app = new Koa();
  const koaErrors: unknown[] = [];
  app.on('error', (error) => koaErrors.push(error));
  const scope = new Router({ prefix });
  scope.use(powertools.router.routes(), powertools.router.allowedMethods());
  app.use(scope.routes()).use(scope.allowedMethods());

  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  database.cleanUpAfterTest(() => new Promise((resolve) => server.close(resolve)));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const mountUrl = new URL(`${prefix}/`, origin);

  async function request(path: string, requestOptions: RequestOptions = {}): Promise<PageResponse> {
    const url = new URL(path, mountUrl);
    const headers: Record<string, string> = { accept: 'text/html', ...requestOptions.headers };
    if (requestOptions.user) headers[testUserHeader] = requestOptions.user.username;
    let body: URLSearchParams | undefined;
    if (requestOptions.form) {
      body = new URLSearchParams(requestOptions.form);
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }

    const response = await fetch(url, { method: requestOptions.method ?? 'GET', headers, body, redirect: 'manual' });
    const rawLocation = response.headers.get('location');
    return { status: response.status, rawLocation, location: rawLocation === null ? null : new URL(rawLocation, url), body: await response.text() };
  }

  return {
    origin,
    mountUrl,
    prefix,
    request,
    confirm: (path, form, user = testUsers.operator, headers = {}) => request(path, { method: 'POST', user, form, headers: { origin, ...headers } }),
    events,
    koaErrors,
  };
}


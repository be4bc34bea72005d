import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';

import { Pool } from 'pg';
import { PgBoss } from 'pg-boss';

import { PowertoolsConfigError } from '../../library';
import { resolveDashboardConnection } from '../../library/bridge/dashboard-connection';
import { loadDashboard } from '../../library/bridge/load-dashboard';
import { validateOptions } from '../../library/options/validate-options';
import type { AuthModule, DisplayPolicy } from '../../library/seams';

// Nothing here connects: the pool and pg-boss point at a closed port, and the password must
// never reach an error message.
const databasePassword = 'Sw0rdfish-9731';
const databaseUrl = `postgres://ops:${databasePassword}@127.0.0.1:9/app`;
const repo = new Pool({ connectionString: databaseUrl });
const boss = new PgBoss({ connectionString: databaseUrl, schedule: false, supervise: false });
const auth: AuthModule = { currentActor: () => null, authorize: () => false, auditPrincipal: () => null };
const displayPolicy: DisplayPolicy = { display: () => null };
const repositoryRoot = path.resolve(__dirname, '..', '..');

function captureConfigError(work: () => unknown): PowertoolsConfigError {
  try {
    work();
  } catch (error) {
    assert.ok(error instanceof PowertoolsConfigError, `expected PowertoolsConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail('a PowertoolsConfigError was expected');
}

function bridgeError(bridge: unknown): PowertoolsConfigError {
  return captureConfigError(() => validateOptions({ repo, auth, displayPolicy, boss, bridge }));
}

/** Builds a stand-in for `require` that returns the given package files and fails like Node for others. */
function fakeRequire(files: Record<string, unknown>): (id: string) => unknown {
  return (id) => {
    if (Object.hasOwn(files, id)) return files[id];
    const error = new Error(`Cannot find module '${id}'\nRequire stack:\n- /app/library/bridge/load-dashboard.ts`);
    (error as NodeJS.ErrnoException).code = 'MODULE_NOT_FOUND';
    throw error;
  };
}

describe('validateOptions bridge', () => {
  test('validateOptions disables bridge by default', () => {
    for (const bridge of [undefined, false, { enabled: false }]) {
      assert.equal(validateOptions({ repo, auth, displayPolicy, boss, bridge }).bridge, false, JSON.stringify(bridge));
    }
  });

  test('validateOptions resolves enabled bridge', () => {
    assert.deepEqual(validateOptions({ repo, auth, displayPolicy, boss, bridge: { enabled: true } }).bridge, { connectionString: null, extendContentSecurityPolicy: true });
    assert.deepEqual(
      validateOptions({ repo, auth, displayPolicy, boss, bridge: { enabled: true, connectionString: databaseUrl, extendContentSecurityPolicy: false } }).bridge,
      { connectionString: databaseUrl, extendContentSecurityPolicy: false },
    );
  });

  test('validateOptions requires bridge.enabled', () => {
    for (const bridge of [{}, { enabled: 'yes' }, { enabled: 1 }]) {
      const error = bridgeError(bridge);
      assert.equal(error.option, 'bridge');
      assert.match(error.message, /bridge\.enabled must be true or false/);
      assert.match(error.message, /bridge: \{ enabled: true \}/);
    }
  });

  test('validateOptions names unknown bridge keys', () => {
    const error = bridgeError({ enabled: true, readOnly: false, path: '/x' });

    assert.match(error.message, /unknown option\(s\) readOnly, path/);
    assert.match(error.message, /enabled, connectionString, extendContentSecurityPolicy/);
  });

  test('validateOptions rejects bad connectionString silently', () => {
    for (const connectionString of [42, `mysql://ops:${databasePassword}@db/app`, '']) {
      const error = bridgeError({ enabled: true, connectionString });
      assert.match(error.message, /bridge\.connectionString must be a postgres:\/\/ or postgresql:\/\/ URL/);
      assert.doesNotMatch(error.message, new RegExp(databasePassword), 'the value is described, never echoed');
    }
  });

  test('validateOptions rejects non-boolean CSP choice', () => {
    const error = bridgeError({ enabled: true, extendContentSecurityPolicy: 'no' });

    assert.match(error.message, /bridge\.extendContentSecurityPolicy must be true or false, got a string of 2 characters/);
  });
});

describe('loadDashboard', () => {
  test('loadDashboard loads the installed package', () => {
    const loaded = loadDashboard();

    assert.match(loaded.version, /^1\.9\.\d+$/);
    assert.equal(typeof loaded.createDashboardHandler, 'function');
  });

  test('loadDashboard names a missing package', () => {
    const error = captureConfigError(() => loadDashboard(fakeRequire({})));

    assert.equal(error.option, 'bridge');
    assert.match(error.message, /optional peer dependency @pg-boss\/dashboard is not installed/);
    assert.match(error.message, /npm install @pg-boss\/dashboard@~1\.9\.0/);
    assert.match(error.message, /or set bridge: false/);
    assert.ok(error.cause instanceof Error, 'the resolution error is kept as cause');
  });

  test('loadDashboard refuses another minor release', () => {
    for (const version of ['1.10.0', '2.0.0', '1.8.3', undefined]) {
      const error = captureConfigError(() =>
        loadDashboard(fakeRequire({ '@pg-boss/dashboard/package.json': { version }, '@pg-boss/dashboard/handler': { createDashboardHandler() {} } })),
      );
      assert.match(error.message, /checked against ~1\.9\.0 only/, String(version));
    }
  });

  test('loadDashboard reports a broken dependency', () => {
    const brokenDependency = (id: string) => {
      if (id.endsWith('package.json')) return { version: '1.9.0' };
      const error = new Error("Cannot find module 'hono'");
      (error as NodeJS.ErrnoException).code = 'MODULE_NOT_FOUND';
      throw error;
    };

    const error = captureConfigError(() => loadDashboard(brokenDependency));

    assert.match(error.message, /@pg-boss\/dashboard failed to load: Cannot find module 'hono'/, 'a missing dependency of the package is not reported as the package missing');
  });

  test('loadDashboard requires the handler export', () => {
    const error = captureConfigError(() => loadDashboard(fakeRequire({ '@pg-boss/dashboard/package.json': { version: '1.9.0' }, '@pg-boss/dashboard/handler': {} })));

    assert.match(error.message, /has no createDashboardHandler export/);
  });

  test('createPowertools stops when the package is missing', async () => {
    const script = `
      const { Pool } = require('pg');
      const { PgBoss } = require('pg-boss');
      const { createPowertools } = require('./library');
      const url = 'postgres://ops:${databasePassword}@127.0.0.1:9/app';
      try {
        createPowertools({ repo: new Pool({ connectionString: url }), boss: new PgBoss({ connectionString: url }), displayPolicy: { display: () => null },
          auth: { currentActor: () => null, authorize: () => false, auditPrincipal: () => null }, bridge: { enabled: true } });
        console.log('started');
      } catch (error) {
        console.log(error.name + ' ' + error.option + ': ' + error.message);
      }`;

    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', path.join(repositoryRoot, 'step-definitions', 'support', 'hide-pg-boss-dashboard.js'), '-e', script],
      { cwd: repositoryRoot },
    );

    assert.match(stdout, /^PowertoolsConfigError bridge: createPowertools: bridge is enabled, but the optional peer dependency @pg-boss\/dashboard is not installed\. Install it with `npm install @pg-boss\/dashboard@~1\.9\.0`/);
    assert.doesNotMatch(stdout, new RegExp(databasePassword));
  });
});

describe('resolveDashboardConnection', () => {
  test('resolveDashboardConnection prefers the configured string', () => {
    assert.equal(resolveDashboardConnection('postgres://other@h/db', repo), 'postgres://other@h/db');
  });

  test("resolveDashboardConnection uses repo's string", () => {
    assert.equal(resolveDashboardConnection(null, repo), databaseUrl);
  });

  test('resolveDashboardConnection builds from pool fields', () => {
    const pool = new Pool({ host: 'db.internal', port: 6543, user: 'ops@team', password: 'p@ss%word', database: 'jobs app' });

    const url = new URL(resolveDashboardConnection(null, pool));

    assert.equal(url.hostname, 'db.internal');
    assert.equal(url.port, '6543');
    assert.equal(decodeURIComponent(url.username), 'ops@team');
    assert.equal(decodeURIComponent(url.password), 'p@ss%word');
    assert.equal(decodeURIComponent(url.pathname.slice(1)), 'jobs app');
  });

  test('resolveDashboardConnection refuses what a URL cannot carry', () => {
    const cases: Array<[Pool, RegExp]> = [
      [new Pool({ host: 'db', database: 'app', ssl: { rejectUnauthorized: true } }), /TLS options \(ssl\)/],
      [new Pool({ host: 'db', database: 'app', password: async () => 'secret' }), /password is not a string/],
      [new Pool({ host: '/var/run/postgresql', database: 'app' }), /Unix socket directory/],
    ];
    for (const [pool, reason] of cases) {
      const error = captureConfigError(() => resolveDashboardConnection(null, pool));
      assert.match(error.message, reason);
      assert.match(error.message, /Set bridge\.connectionString/);
    }
  });
});

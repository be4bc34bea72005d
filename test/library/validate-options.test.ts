import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { Pool } from 'pg';
import { PgBoss } from 'pg-boss';

import { createPowertools, PowertoolsConfigError } from '../../library';
import { validateOptions } from '../../library/options/validate-options';
import type { AuthModule, DisplayPolicy } from '../../library/seams';

// Neither the pool nor pg-boss connects until it is used, and validation never uses them, so
// these point at a closed port and carry a password that must never reach an error message.
const databasePassword = 'Sw0rdfish-9731';
const databaseUrl = `postgres://ops:${databasePassword}@127.0.0.1:9/app`;

const repo = new Pool({ connectionString: databaseUrl });
const boss = new PgBoss({ connectionString: databaseUrl, schedule: false, supervise: false });
const auth: AuthModule = {
  currentActor: () => null,
  authorize: () => false,
  auditPrincipal: () => null,
};
const displayPolicy: DisplayPolicy = { display: () => null };

function makeOptions(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { repo, auth, displayPolicy, boss, ...overrides };
}

function withoutOption(name: string): Record<string, unknown> {
  const options = makeOptions();
  delete options[name];
  return options;
}

/** Runs validateOptions, expects a PowertoolsConfigError and returns it for further checks. */
function captureConfigError(options: unknown): PowertoolsConfigError {
  try {
    validateOptions(options);
  } catch (error) {
    assert.ok(error instanceof PowertoolsConfigError, `expected PowertoolsConfigError, got ${String(error)}`);
    assert.ok(error instanceof TypeError, 'a configuration mistake is a TypeError, as in Koa');
    return error;
  }
  assert.fail('validateOptions accepted options it should reject');
}

describe('validateOptions host seams', () => {
  test('validateOptions accepts all four seams', () => {
    const resolved = validateOptions(makeOptions());

    assert.equal(resolved.repo, repo);
    assert.equal(resolved.auth, auth, 'auth is used as given, not wrapped in a fallback');
    assert.equal(resolved.displayPolicy, displayPolicy, 'displayPolicy is used as given, not wrapped in a fallback');
    assert.equal(resolved.boss, boss);
    assert.equal(resolved.bridge, false);
    assert.equal(resolved.deniedRedirect, '/');
    assert.equal(resolved.minimumReasonLength, 8);
    assert.deepEqual(resolved.cronEntries, []);
  });

  test('validateOptions rejects a non-object', () => {
    for (const options of [undefined, null, 'repo', 42]) {
      const error = captureConfigError(options);

      assert.equal(error.option, 'options');
      assert.match(error.message, /repo, auth, displayPolicy and boss/);
    }
  });

  test('validateOptions non-object names value and fix', () => {
    const cases: Array<[unknown, string]> = [
      [undefined, 'undefined'],
      [null, 'null'],
      [databaseUrl, `a string of ${databaseUrl.length} characters`],
      [42, 'number 42'],
      [true, 'boolean true'],
      [[repo, auth, displayPolicy, boss], 'an array'],
      [() => ({ repo, auth, displayPolicy, boss }), 'a function'],
    ];

    for (const [options, description] of cases) {
      const error = captureConfigError(options);

      assert.equal(error.option, 'options', description);
      assert.ok(
        error.message.startsWith(`createPowertools: options must be an object with repo, auth, displayPolicy and boss, got ${description}. `),
        `expected what was expected and the value seen, got: ${error.message}`,
      );
      assert.ok(error.message.includes('Call it as createPowertools({ repo: pool, auth, displayPolicy, boss }).'), `expected the fix, got: ${error.message}`);
      assert.doesNotMatch(error.message, /undefined undefined/);
      assert.ok(!error.message.includes(databasePassword), `the password leaked into: ${error.message}`);
    }
  });

  test('validateOptions rejects missing repo', () => {
    for (const missing of [withoutOption('repo'), makeOptions({ repo: null })]) {
      const error = captureConfigError(missing);

      assert.equal(error.option, 'repo');
      assert.match(error.message, /repo is missing/);
      assert.match(error.message, /new Pool\(/, 'the message shows how to build the pool');
    }
  });

  test('validateOptions rejects malformed repo', () => {
    const error = captureConfigError(makeOptions({ repo: { query() {} } }));

    assert.equal(error.option, 'repo');
    assert.match(error.message, /pg\.Pool with query\(\) and connect\(\)/);
    assert.match(error.message, /got a plain object/);
    assert.match(error.message, /Pass the pool itself/);
  });

  test('validateOptions hides connection string passwords', () => {
    const connectionStrings = [
      databaseUrl,
      `postgresql://ops:${databasePassword}@db.internal:5432/app?sslmode=require`,
      `host=db.internal user=ops password=${databasePassword} dbname=app`,
    ];

    for (const connectionString of connectionStrings) {
      const error = captureConfigError(makeOptions({ repo: connectionString }));

      assert.equal(error.option, 'repo');
      assert.match(error.message, /not a client or a connection string/);
      assert.match(error.message, /a string of \d+ characters/);
      assert.ok(!error.message.includes(databasePassword), `the password leaked into: ${error.message}`);
      assert.ok(!error.message.includes('db.internal'), `the host leaked into: ${error.message}`);
    }
  });

  test('validateOptions hides a bare password', () => {
    // A host that passes the wrong environment variable must not see it in its error log.
    const error = captureConfigError(makeOptions({ repo: databasePassword }));

    assert.equal(error.option, 'repo');
    assert.ok(!error.message.includes(databasePassword), `the password leaked into: ${error.message}`);
  });

  test('validateOptions rejects missing auth', () => {
    for (const missing of [withoutOption('auth'), makeOptions({ auth: null })]) {
      const error = captureConfigError(missing);

      assert.equal(error.option, 'auth');
      assert.match(error.message, /auth is missing/);
      assert.match(error.message, /there is no default auth/);
      assert.match(error.message, /currentActor\(ctx\), authorize\(actor, action, resource\) and auditPrincipal\(actor\)/);
    }
  });

  test('validateOptions rejects malformed auth', () => {
    for (const malformed of [{}, 'auth', () => true]) {
      const error = captureConfigError(makeOptions({ auth: malformed }));

      assert.equal(error.option, 'auth');
      assert.match(error.message, /auth is missing the method\(s\) currentActor, authorize, auditPrincipal\./);
    }
  });

  test('validateOptions names the missing auth method', () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      ['currentActor', { authorize: auth.authorize, auditPrincipal: auth.auditPrincipal }],
      ['authorize', { currentActor: auth.currentActor, auditPrincipal: auth.auditPrincipal }],
      ['auditPrincipal', { currentActor: auth.currentActor, authorize: auth.authorize, auditPrincipal: 'user:ops' }],
    ];

    for (const [method, incomplete] of cases) {
      const error = captureConfigError(makeOptions({ auth: incomplete }));

      assert.equal(error.option, 'auth');
      assert.match(error.message, new RegExp(`missing the method\\(s\\) ${method}\\.`), `expected only ${method} to be named: ${error.message}`);
    }
  });

  test('validateOptions rejects missing displayPolicy', () => {
    for (const missing of [withoutOption('displayPolicy'), makeOptions({ displayPolicy: null })]) {
      const error = captureConfigError(missing);

      assert.equal(error.option, 'displayPolicy');
      assert.match(error.message, /displayPolicy is missing/);
      assert.match(error.message, /there is no default display policy/);
      assert.match(error.message, /display\(kind, value, context\)/);
    }
  });

  test('validateOptions rejects malformed displayPolicy', () => {
    for (const malformed of [{ display: '[redacted]' }, { render() {} }, 'policy']) {
      const error = captureConfigError(makeOptions({ displayPolicy: malformed }));

      assert.equal(error.option, 'displayPolicy');
      assert.match(error.message, /must have a display\(kind, value, context\) method/);
    }
  });

  test('validateOptions rejects missing boss', () => {
    for (const missing of [withoutOption('boss'), makeOptions({ boss: null })]) {
      const error = captureConfigError(missing);

      assert.equal(error.option, 'boss');
      assert.match(error.message, /boss is missing/);
      assert.match(error.message, /new PgBoss\(/);
    }
  });

  test('validateOptions rejects malformed boss', () => {
    for (const malformed of [repo, { send() {} }, databaseUrl]) {
      const error = captureConfigError(makeOptions({ boss: malformed }));

      assert.equal(error.option, 'boss');
      assert.match(error.message, /pg-boss 12 instance with send\(\), createQueue\(\) and getQueue\(\)/);
      assert.ok(!error.message.includes(databasePassword), `the password leaked into: ${error.message}`);
    }
  });

  test('validateOptions checks seams in a fixed order', () => {
    const error = captureConfigError({});

    assert.equal(error.option, 'repo', 'with everything missing, the first seam is named first');
  });
});

describe('validateOptions other options', () => {
  test('validateOptions accepts bridge false or absent', () => {
    assert.equal(validateOptions(makeOptions({ bridge: false })).bridge, false);
    assert.equal(validateOptions(makeOptions({ bridge: undefined })).bridge, false);
  });

  test('validateOptions rejects a bridge that is not an object', () => {
    for (const bridge of [true, '/ops/jobs/pg-boss', 0, null, []]) {
      const error = captureConfigError(makeOptions({ bridge }));

      assert.equal(error.option, 'bridge');
      assert.match(error.message, /bridge must be false or an object such as \{ enabled: true \}/);
    }
  });

  test('validateOptions rejects malformed logger', () => {
    const error = captureConfigError(makeOptions({ logger: { info() {} } }));

    assert.equal(error.option, 'logger');
    assert.match(error.message, /debug, info, warn and error/);
  });

  test('validateOptions rejects off-host deniedRedirect', () => {
    for (const deniedRedirect of ['https://evil.example/', '//evil.example/', 'login', 7]) {
      const error = captureConfigError(makeOptions({ deniedRedirect }));

      assert.equal(error.option, 'deniedRedirect');
      assert.match(error.message, /starting with a single "\/"/);
      assert.ok(error.message.includes(`got ${typeof deniedRedirect === 'string' ? JSON.stringify(deniedRedirect) : 'number 7'}.`), error.message);
    }
  });

  test('validateOptions rejects non-boolean liveUpdates', () => {
    const cases: Array<[unknown, string]> = [['true', 'a string of 4 characters'], [1, 'number 1'], [{ enabled: true }, 'a plain object']];

    for (const [liveUpdates, description] of cases) {
      const error = captureConfigError(makeOptions({ liveUpdates }));

      assert.equal(error.option, 'liveUpdates', description);
      assert.ok(error.message.startsWith(`liveUpdates must be true or false, got ${description}. `), error.message);
      assert.match(error.message, /Set it to true only when the host's content security policy allows script-src 'self'/);
      assert.match(error.message, /, or leave it out for an overview without scripts\.$/);
    }
  });

  test('validateOptions rejects non-boolean retireUndeclaredCronEntries', () => {
    const cases: Array<[unknown, string]> = [['false', 'a string of 5 characters'], [0, 'number 0'], [['nightly_sync'], 'an array']];

    for (const [retireUndeclaredCronEntries, description] of cases) {
      const error = captureConfigError(makeOptions({ retireUndeclaredCronEntries }));

      assert.equal(error.option, 'retireUndeclaredCronEntries', description);
      assert.ok(error.message.startsWith(`retireUndeclaredCronEntries must be true or false, got ${description}. `), error.message);
      assert.match(error.message, /Leave it out to retire entries missing from cronEntries at start/);
      assert.match(error.message, /set it to false when entries are also created outside code\.$/);
    }
  });

  test('validateOptions defaults liveUpdates and retirement', () => {
    const resolved = validateOptions(makeOptions());
    const explicit = validateOptions(makeOptions({ liveUpdates: true, retireUndeclaredCronEntries: false }));

    assert.equal(resolved.liveUpdates, false);
    assert.equal(resolved.retireUndeclaredCronEntries, true);
    assert.equal(explicit.liveUpdates, true);
    assert.equal(explicit.retireUndeclaredCronEntries, false);
  });

  test('validateOptions rejects out-of-range numbers', () => {
    const cases: Array<[string, unknown]> = [
      ['schedulerIntervalSeconds', 0],
      ['schedulerIntervalSeconds', 61],
      ['schedulerIntervalSeconds', '5'],
      ['schedulerIntervalSeconds', Number.NaN],
      ['minimumReasonLength', 0],
      ['minimumReasonLength', 2.5],
      ['minimumReasonLength', 501],
    ];

    for (const [option, value] of cases) {
      const error = captureConfigError(makeOptions({ [option]: value }));

      assert.equal(error.option, option, `${option}=${String(value)}`);
      assert.match(error.message, typeof value === 'string' ? /got a string of 1 characters/ : new RegExp(`got number ${String(value).replace('.', '\\.')}\\.`));
    }
  });
});

describe('validateOptions cron entries', () => {
  const nightlySync = { name: 'nightly_sync', schedule: '0 2 * * *', timezone: 'Europe/Berlin', queue: 'nightly_sync', args: { source: 'crm' } };

  function captureCronEntryError(cronEntries: unknown): string {
    const error = captureConfigError(makeOptions({ cronEntries }));
    assert.equal(error.option, 'cronEntries');
    return error.message;
  }

  test('validateOptions resolves cron entry defaults', () => {
    const resolved = validateOptions(makeOptions({ cronEntries: [nightlySync, { name: 'hourly_digest', schedule: '0 * * * *', queue: 'digest' }] }));

    assert.deepEqual(resolved.cronEntries, [
      nightlySync,
      { name: 'hourly_digest', schedule: '0 * * * *', timezone: 'UTC', queue: 'digest', args: {} },
    ]);
  });

  test('validateOptions rejects non-array cronEntries', () => {
    assert.match(captureCronEntryError({ nightly_sync: nightlySync }), /cronEntries must be an array/);
  });

  test('validateOptions rejects non-object cron entry', () => {
    assert.match(captureCronEntryError([nightlySync, 'hourly_digest']), /cronEntries\[1\] must be an object/);
  });

  test('validateOptions rejects bad cron names', () => {
    for (const name of ['nightly sync', '', 'x'.repeat(101), '<script>', 'ops/jobs', undefined]) {
      const message = captureCronEntryError([{ ...nightlySync, name }]);

      assert.match(message, /cronEntries\[0\]\.name must be 1 to 100 letters, digits/, `name ${JSON.stringify(name)}`);
    }
  });

  test('validateOptions rejects duplicate cron names', () => {
    const message = captureCronEntryError([nightlySync, { ...nightlySync, queue: 'other' }]);

    assert.match(message, /cronEntries\[1\]\.name "nightly_sync" is declared twice/);
  });

  test('validateOptions rejects missing cron queue', () => {
    const message = captureCronEntryError([{ ...nightlySync, queue: '' }]);

    assert.match(message, /cronEntries\[0\]\.queue for "nightly_sync" must name a pg-boss queue/);
  });

  test('validateOptions rejects bad cron timezone', () => {
    for (const timezone of ['Mars/Olympus_Mons', 'CEST+99', '', 3]) {
      const message = captureCronEntryError([{ ...nightlySync, timezone }]);

      assert.match(message, /cronEntries\[0\]\.timezone for "nightly_sync" must be an IANA time zone/, `timezone ${JSON.stringify(timezone)}`);
    }
  });

  test('validateOptions rejects bad cron schedule', () => {
    const cases: Array<[unknown, RegExp]> = [
      ['every night', /expected 5 or 6 fields, got 2/],
      ['0 2 * * * * *', /expected 5 or 6 fields, got 7/],
      ['61 2 * * *', /not a valid cron expression/],
      ['0 25 * * *', /not a valid cron expression/],
      ['0 2 * * mondays', /not a valid cron expression/],
      [5, /it is not a string/],
    ];

    for (const [schedule, problem] of cases) {
      const message = captureCronEntryError([{ ...nightlySync, schedule }]);

      assert.match(message, /cronEntries\[0\]\.schedule for "nightly_sync" is not a valid cron expression/, `schedule ${JSON.stringify(schedule)}`);
      assert.match(message, problem, `schedule ${JSON.stringify(schedule)}`);
      assert.match(message, /Use five fields, for example "0 2 \* \* \*"/);
    }
  });

  test('validateOptions rejects non-object cron args', () => {
    for (const args of [null, ['crm'], 'source=crm', 7]) {
      const message = captureCronEntryError([{ ...nightlySync, args }]);

      assert.match(message, /cronEntries\[0\]\.args for "nightly_sync" must be a JSON object/, `args ${JSON.stringify(args)}`);
    }
  });
});

describe('createPowertools validation', () => {
  test('createPowertools without options names the fix', () => {
    const call = createPowertools as unknown as () => unknown;

    assert.throws(() => call(), (error: unknown) => {
      assert.ok(error instanceof PowertoolsConfigError);
      assert.equal(error.option, 'options');
      assert.match(error.message, /got undefined\. Call it as createPowertools\(\{ repo: pool, auth, displayPolicy, boss \}\)\./);
      return true;
    });
  });

  test('createPowertools has no default displayPolicy', () => {
    const options = withoutOption('displayPolicy') as unknown as Parameters<typeof createPowertools>[0];

    assert.throws(() => createPowertools(options), (error: unknown) => {
      assert.ok(error instanceof PowertoolsConfigError);
      assert.equal(error.option, 'displayPolicy');
      return true;
    });
  });

  test('createPowertools has no default auth', () => {
    const options = withoutOption('auth') as unknown as Parameters<typeof createPowertools>[0];

    assert.throws(() => createPowertools(options), (error: unknown) => {
      assert.ok(error instanceof PowertoolsConfigError);
      assert.equal(error.option, 'auth');
      return true;
    });
  });
});

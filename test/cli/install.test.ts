import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { runInstall } from '../../library/cli/install';
import { hashContent } from '../../library/cli/install/install-manifest';
import { collectOutput, makeTemplateHost, readTemplateApp, readTree } from './support/cli-fixtures';

const defaults = { mountPath: '/ops/jobs', dryRun: false };

function install(directory: string, options: Partial<typeof defaults> = {}) {
  const collected = collectOutput();
  const result = runInstall({ directory, ...defaults, ...options }, collected.output);
  return { result, stdout: collected.stdout(), stderr: collected.stderr() };
}

function read(directory: string, file: string): string {
  return readFileSync(path.join(directory, file), 'utf8');
}

test('install.template wires dependencies, seams and the mount', () => {
  const host = makeTemplateHost();

  const { result } = install(host);

  assert.equal(result.exitCode, 0);
  assert.equal(result.app.kind, 'edit');
  const dependencies = JSON.parse(read(host, 'package.json')).dependencies;
  assert.equal(dependencies['koa-jobs-powertools'], '^0.2.0');
  assert.match(dependencies['pg-boss'], /^\^12\./);
  for (const file of ['auth.ts', 'display-policy.ts', 'cron-entries.ts', 'migrate.ts', 'install-manifest.json']) {
    assert.ok(existsSync(path.join(host, 'jobs-powertools', file)), `jobs-powertools/${file} is missing`);
  }
  const app = read(host, 'app.ts');
  assert.match(app, /^import \{ createPowertools \} from 'koa-jobs-powertools';$/m);
  assert.match(app, /^import \{ jobsAuth, requireJobsActor \} from '\.\/jobs-powertools\/auth';$/m);
  assert.match(app, /const boss = new PgBoss\(\{ connectionString: process\.env\.DATABASE_URL \}\);/);
  assert.match(app, /boss\.on\('error', \(error\) => logger\.error\(/);
  assert.match(app, /repo: pool,\n\s+auth: jobsAuth,\n\s+displayPolicy: jobsDisplayPolicy,\n\s+boss,\n\s+cronEntries: jobsCronEntries,\n\s+logger,\n/);
  assert.ok(app.indexOf("new Router({ prefix: '/ops/jobs' })") < app.indexOf('app.use(router.routes())'));
  assert.ok(app.indexOf('app.use(bodyParser(') < app.indexOf("new Router({ prefix: '/ops/jobs' })"));
  assert.ok(app.indexOf('await powertools.runtime.start();') < app.indexOf('app.listen('));
  assert.ok(app.indexOf('await powertools.runtime.stop();') < app.indexOf('await pool.end();'));
  assert.ok(app.indexOf('server.close();') < app.indexOf('await powertools.runtime.stop();'));
});

test('install.template keeps the host code it did not add', () => {
  const host = makeTemplateHost();
  const before = readTemplateApp().split('\n');

  install(host);

  const after = read(host, 'app.ts').split('\n');
  let position = 0;
  for (const line of before) {
    position = after.indexOf(line, position);
    assert.notEqual(position, -1, `the line ${JSON.stringify(line)} is missing or out of order after the install`);
  }
});

test('install.starter auth denies everyone', () => {
  const host = makeTemplateHost();

  install(host);

  const auth = read(host, 'jobs-powertools/auth.ts');
  assert.match(auth, /currentActor\(_ctx: Context\): Actor \| null \{\n\s+\/\/ EDIT[^\n]*\n\s+return null;/);
  assert.match(auth, /return \{ allowed: false, reason:/);
  assert.doesNotMatch(auth, /return \{ allowed: true/);
  assert.match(auth, /auditPrincipal\(_actor: Actor\): AuditPrincipal \| null \{\n(\s+\/\/[^\n]*\n)+\s+return null;/);
});

test('install.second run changes nothing', () => {
  const host = makeTemplateHost();
  install(host);
  const before = readTree(host);

  const { result, stdout } = install(host);

  assert.deepEqual(readTree(host), before);
  assert.equal(result.exitCode, 0);
  assert.deepEqual(result.files.map((file) => file.status), result.files.map(() => 'unchanged'));
  assert.match(stdout, /nothing to change/);
});

test('install.dry run prints diffs and writes nothing', () => {
  const host = makeTemplateHost();
  const before = readTree(host);

  const { result, stdout } = install(host, { dryRun: true });

  assert.deepEqual(readTree(host), before);
  assert.equal(result.exitCode, 0);
  assert.match(stdout, /7 file\(s\) would change; nothing was written/);
  assert.match(stdout, /^--- \/dev\/null\n\+\+\+ b\/jobs-powertools\/auth\.ts$/m);
  assert.match(stdout, /^--- a\/package\.json\n\+\+\+ b\/package\.json\n@@ -\d+,\d+ \+\d+,\d+ @@$/m);
  assert.match(stdout, /^\+    "koa-jobs-powertools": "\^0\.2\.0",$/m);
  assert.match(stdout, /^\+  const powertools = createPowertools\(\{$/m);
});

test('install.dry run after an install prints nothing to change', () => {
  const host = makeTemplateHost();
  install(host);

  const { stdout } = install(host, { dryRun: true });

  assert.match(stdout, /nothing to change/);
  assert.doesNotMatch(stdout, /^\+\+\+ /m);
});

test('install.host-changed seam is kept', () => {
  const host = makeTemplateHost();
  install(host);
  const edited = '// the host\'s own auth\nexport const jobsAuth = {};\n';
  writeFileSync(path.join(host, 'jobs-powertools', 'auth.ts'), edited);
  const manifestBefore = read(host, 'jobs-powertools/install-manifest.json');

  const { result, stdout } = install(host);

  assert.equal(read(host, 'jobs-powertools/auth.ts'), edited);
  assert.equal(read(host, 'jobs-powertools/install-manifest.json'), manifestBefore);
  assert.equal(result.files.find((file) => file.file === 'jobs-powertools/auth.ts')?.status, 'kept');
  assert.match(stdout, /kept +jobs-powertools\/auth\.ts: the host changed it since the installer wrote it; never overwritten/);
});

test('install.host-written seam without a record is kept', () => {
  const host = makeTemplateHost();
  const own = 'export const jobsDisplayPolicy = { display: () => null };\n';
  mkdirSync(path.join(host, 'jobs-powertools'));
  writeFileSync(path.join(host, 'jobs-powertools', 'display-policy.ts'), own);

  const { result } = install(host);

  assert.equal(read(host, 'jobs-powertools/display-policy.ts'), own);
  const outcome = result.files.find((file) => file.file === 'jobs-powertools/display-policy.ts');
  assert.equal(outcome?.status, 'kept');
  assert.match(outcome!.detail, /the host wrote it, not the installer/);
  assert.equal(JSON.parse(read(host, 'jobs-powertools/install-manifest.json')).files['display-policy.ts'], undefined);
});

test('install.untouched seam from an older release is regenerated', () => {
  const host = makeTemplateHost();
  install(host);
  const older = '// written by an older jobs-powertools install\nexport const jobsCronEntries = [];\n';
  const manifestFile = path.join(host, 'jobs-powertools', 'install-manifest.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  manifest.files['cron-entries.ts'] = hashContent(older);
  writeFileSync(manifestFile, JSON.stringify(manifest));
  writeFileSync(path.join(host, 'jobs-powertools', 'cron-entries.ts'), older);

  const { result } = install(host);

  assert.equal(result.files.find((file) => file.file === 'jobs-powertools/cron-entries.ts')?.status, 'updated');
  assert.match(read(host, 'jobs-powertools/cron-entries.ts'), /jobsCronEntries: CronEntryDeclaration\[\]/);
  assert.equal(JSON.parse(readFileSync(manifestFile, 'utf8')).files['cron-entries.ts'], hashContent(read(host, 'jobs-powertools/cron-entries.ts')));
});

test('install.deleted seam is created again', () => {
  const host = makeTemplateHost();
  install(host);
  const generated = read(host, 'jobs-powertools/migrate.ts');
  rmSync(path.join(host, 'jobs-powertools', 'migrate.ts'));

  const { result } = install(host);

  assert.equal(result.files.find((file) => file.file === 'jobs-powertools/migrate.ts')?.status, 'created');
  assert.equal(read(host, 'jobs-powertools/migrate.ts'), generated);
});

test('install.unrecognised server start leaves the app and prints lines', () => {
  const app = readTemplateApp()
    .replace("import { bodyParser } from '@koa/bodyparser';\n", "import { createServer } from 'node:http';\n\nimport { bodyParser } from '@koa/bodyparser';\n")
    .replace('const server = app.listen(port,', 'const server = createServer(app.callback()).listen(port,');
  const host = makeTemplateHost(app);

  const { result, stderr } = install(host);

  assert.equal(result.exitCode, 3);
  assert.equal(read(host, 'app.ts'), app);
  assert.equal(result.app.kind, 'unfamiliar');
  assert.match(stderr, /did not edit app\.ts, because it does not recognise where to mount the control plane/);
  assert.match(stderr, /it does not call app\.listen\(\) after its routes/);
  assert.match(stderr, /^ {4}import \{ createPowertools \} from 'koa-jobs-powertools';$/m);
  assert.match(stderr, /^ {4}const jobsScope = new Router\(\{ prefix: '\/ops\/jobs' \}\);$/m);
  assert.match(stderr, /^ {4}await powertools\.runtime\.start\(\);$/m);
  assert.match(stderr, /^ {4}await boss\.stop\(\{ graceful: true, timeout: 5000 \}\);$/m);
  assert.ok(existsSync(path.join(host, 'jobs-powertools', 'auth.ts')), 'the seams are generated even when the app file is not edited');
  assert.match(JSON.parse(read(host, 'package.json')).dependencies['pg-boss'], /^\^12\./);
});

test('install.require-style app is not recognised', () => {
  const host = makeTemplateHost("const Koa = require('koa');\nconst app = new Koa();\napp.listen(3000);\n");

  const collected = collectOutput();
  const result = runInstall({ directory: host, appFile: 'app.ts', ...defaults }, collected.output);

  assert.equal(result.exitCode, 3);
  assert.ok(result.app.kind === 'unfamiliar');
  assert.match(result.app.reasons.join('\n'), /no import declarations/);
});

test('install.factory app without listen is not recognised', () => {
  const app = `import Koa from 'koa';
import { Pool } from 'pg';

export function makeApp(pool: Pool): Koa {
  const app = new Koa();
  return app;
}
`;
  const host = makeTemplateHost(app);

  const { result } = install(host);

  assert.equal(result.exitCode, 3);
  assert.ok(result.app.kind === 'unfamiliar');
  assert.match(result.app.reasons.join('\n'), /no pg Pool/);
  assert.match(result.app.reasons.join('\n'), /does not call app\.listen\(\)/);
  assert.equal(read(host, 'app.ts'), app);
});

test('install.name collision is not guessed around', () => {
  const app = readTemplateApp().replace("const logger = pino({ name: 'team-notes' });", "const logger = pino({ name: 'team-notes' });\n  const powertools = 'taken';");
  const host = makeTemplateHost(app);

  const { result } = install(host);

  assert.equal(result.exitCode, 3);
  assert.ok(result.app.kind === 'unfamiliar');
  assert.match(result.app.reasons.join('\n'), /already declares `powertools`/);
});

test('install.existing pg-boss instance is reused', () => {
  const app = readTemplateApp()
    .replace("import pino from 'pino';\n", "import { PgBoss } from 'pg-boss';\nimport pino from 'pino';\n")
    .replace("const pool = new Pool({ connectionString: process.env.DATABASE_URL });\n", "const pool = new Pool({ connectionString: process.env.DATABASE_URL });\n  const queue = new PgBoss({ connectionString: process.env.DATABASE_URL });\n  await queue.start();\n");
  const host = makeTemplateHost(app);

  const { result } = install(host);

  assert.equal(result.exitCode, 0);
  const edited = read(host, 'app.ts');
  assert.doesNotMatch(edited, /new PgBoss\(\{ connectionString: process\.env\.DATABASE_URL \}\);\n\s+boss\.on/);
  assert.match(edited, /boss: queue,/);
  assert.equal(edited.match(/await queue\.start\(\);/g)?.length, 1, 'an instance the host already starts is not started twice');
  assert.doesNotMatch(edited, /boss\.stop\(/);
  assert.equal(JSON.parse(read(host, 'package.json')).dependencies['pg-boss'], undefined);
});

test('install.app without shutdown gets the stop lines printed', () => {
  const app = readTemplateApp().replace(/\n {2}const stop = async \(\) => \{[\s\S]*?process\.once\('SIGINT', \(\) => void stop\(\)\);\n/, '\n');
  const host = makeTemplateHost(app);

  const { result, stdout } = install(host);

  assert.equal(result.exitCode, 0);
  assert.match(stdout, /has no async shutdown that closes pool; where the host shuts down, add:\n {4}await powertools\.runtime\.stop\(\);/);
  assert.doesNotMatch(read(host, 'app.ts'), /runtime\.stop/);
});

test('install.installed app is left as it is', () => {
  const host = makeTemplateHost();
  install(host);
  const app = read(host, 'app.ts');
  rmSync(path.join(host, 'jobs-powertools', 'install-manifest.json'));

  const { result } = install(host);

  assert.equal(read(host, 'app.ts'), app);
  assert.ok(result.app.kind === 'installed');
  assert.match(result.app.detail, /already calls createPowertools \(line \d+\)/);
});

test('install.custom mount path is used', () => {
  const host = makeTemplateHost();

  install(host, { mountPath: '/admin/jobs' });

  assert.match(read(host, 'app.ts'), /new Router\(\{ prefix: '\/admin\/jobs' \}\)/);
});

test('install.folder without package.json is rejected', () => {
  const host = makeTemplateHost();
  rmSync(path.join(host, 'package.json'));

  assert.throws(() => install(host), /No package\.json in .*Run jobs-powertools install in the host's root folder/);
});

test('install.missing app file is named', () => {
  const host = makeTemplateHost();

  assert.throws(() => runInstall({ directory: host, appFile: 'src/main.ts', ...defaults }, collectOutput().output), /The app file src\/main\.ts does not exist in .*Pass --app/);
});

test('install.folder without a koa app is named', () => {
  const host = makeTemplateHost();
  rmSync(path.join(host, 'app.ts'));

  assert.throws(() => install(host), /No app file that imports koa was found in .*\(looked at app\.ts, src\/app\.ts/);
});

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

import { appFileCandidates, findAppFile } from '../../library/cli/app-file/find-app-file';
import { runCli } from '../../library/cli/main';
import { collectOutput } from './support/cli-fixtures';

const madeDirectories: string[] = [];

after(() => {
  for (const directory of madeDirectories) rmSync(directory, { recursive: true, force: true });
});

/** Makes a host folder outside the repository with each of `files` as a minimal Koa app that creates the control plane. */
function makeHostWith(files: readonly string[]): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'kjp-cli-help-'));
  madeDirectories.push(directory);
  for (const file of files) {
    mkdirSync(path.dirname(path.join(directory, file)), { recursive: true });
    writeFileSync(path.join(directory, file), `import Koa from 'koa';\nimport { createPowertools } from 'koa-jobs-powertools';\n`);
  }
  return directory;
}

/** Reads the app file names that the help lists as the `--app` default, in its order. */
async function readHelpAppFiles(): Promise<string[]> {
  const collected = collectOutput();
  const exitCode = await runCli(['--help'], {}, collected.output);
  assert.equal(exitCode, 0);

  const help = collected.stdout().replace(/\s+/g, ' ');
  const listed = /Default: the first of (.+?) that imports/.exec(help);
  assert.ok(listed, `the help names no default app files: ${help}`);
  return listed[1].split(/, | or /);
}

test('cli.help lists every app file candidate', async () => {
  const listed = await readHelpAppFiles();

  assert.deepEqual(listed, ['app.ts', 'src/app.ts', 'server.ts', 'src/server.ts', 'index.ts', 'src/index.ts', 'app.js', 'src/app.js']);
  assert.deepEqual(listed, [...appFileCandidates], 'the help lists the files findAppFile walks, in its order');
});

test('cli.help names files the doctor finds', async () => {
  const listed = await readHelpAppFiles();

  for (const file of listed) {
    const host = makeHostWith([file]);
    assert.equal(findAppFile(host, undefined, 'createPowertools'), path.join(host, file), `${file} alone is found`);
  }
  const everyFile = makeHostWith(listed);
  assert.equal(findAppFile(everyFile, undefined, 'createPowertools'), path.join(everyFile, listed[0]), 'the first listed file wins');
});

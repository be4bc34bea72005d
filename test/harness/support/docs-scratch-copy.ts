import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, afterEach, before } from 'node:test';

import { declaredLanes } from '../../../lanes/index';
import { fingerprintLane } from '../../../step-definitions/support/proof-bundle';

const repositoryRoot = path.resolve(__dirname, '..', '..', '..');

export interface DocsScratchCopy {
  /** The copy's root. Valid from `before` on. */
  readonly root: string;
  /**
   * Replaces `search` with `replacement` in one file of the copy, and returns a function that
   * restores the file. Throws when `search` is not in the file, so a break that matches
   * nothing never passes for a break that was caught.
   */
  edit(file: string, search: string | RegExp, replacement: string): () => void;
  /** Removes one file of the copy, and returns a function that puts it back. */
  remove(file: string): () => void;
}

/**
 * Registers hooks that copy the repository's tracked and unignored files into
 * .lane-work/<name>-<pid>/, with node_modules linked, so a test can break one agreement between
 * the docs and the lanes without touching the working tree. Every lane but docs-markers gets a
 * passing `proof/<lane>/evidence.json` in the copy: it stands for a passing run, which the
 * copy cannot make without Postgres and a browser. The copy is kept when a test fails.
 */
export function useDocsScratchCopy(name: string): DocsScratchCopy {
  const root = path.join(repositoryRoot, '.lane-work', `${name}-${process.pid}`);
  let allPassed = true;

  before(() => {
    rmSync(root, { recursive: true, force: true });
    copyRepository(root);
    writePassingBundles(root);
  });
  afterEach((t) => {
    // Hooks are typed for suites too, but afterEach only ever receives a TestContext.
    if ('passed' in t && !t.passed) allPassed = false;
  });
  after(() => {
    if (allPassed) rmSync(root, { recursive: true, force: true });
  });

  return {
    root,
    edit(file, search, replacement) {
      const absolute = path.join(root, file);
      const original = readFileSync(absolute, 'utf8');
      const edited = original.replace(search, replacement);
      if (edited === original) throw new Error(`The edit of ${file} changed nothing: ${String(search)} is not in the file.`);
      writeFileSync(absolute, edited);
      return () => writeFileSync(absolute, original);
    },
    remove(file) {
      const absolute = path.join(root, file);
      const original = readFileSync(absolute);
      rmSync(absolute);
      return () => writeFileSync(absolute, original);
    },
  };
}

/**
 * Runs `assertions` on what `check` finds while one agreement is broken, then undoes the break
 * with `restore`, whether the assertions passed or not, so the next test starts from the copy.
 */
export function assertWhileBroken<Found>(restore: () => void, check: () => Found, assertions: (found: Found) => void): void {
  try {
    assertions(check());
  } finally {
    restore();
  }
}

function copyRepository(root: string): void {
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: repositoryRoot, encoding: 'utf8' })
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    const target = path.join(root, file);
    mkdirSync(path.dirname(target), { recursive: true });
    try {
      copyFileSync(path.join(repositoryRoot, file), target);
    } catch (error) {
      // git lists a tracked file that was deleted in the working tree until the deletion is staged.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  symlinkSync(path.join(repositoryRoot, 'node_modules'), path.join(root, 'node_modules'), 'dir');
}

function writePassingBundles(root: string): void {
  for (const lane of declaredLanes) {
    if (lane.name === 'docs-markers') continue;
    const directory = path.join(root, 'proof', lane.name);
    mkdirSync(directory, { recursive: true });
    const evidence = {
      lane: lane.name,
      bucket: lane.bucket,
      passed: true,
      ...fingerprintLane(root, lane),
      claims: [{ scenario: 'a scenario of the copied repository', status: 'PASSED', facts: {} }],
      secretScan: { findings: 0, filesScanned: 1, envelopesScanned: 1, report: 'secret-scan.json' },
    };
    writeFileSync(path.join(directory, 'evidence.json'), `${JSON.stringify(evidence, null, 2)}\n`);
  }
}

import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';

import type { CliOutput } from '../../../library/cli/cli-output';

const templateDirectory = path.resolve(__dirname, '..', '..', '..', 'lanes', 'fresh-install', 'template');
const madeDirectories: string[] = [];

after(() => {
  for (const directory of madeDirectories) rmSync(directory, { recursive: true, force: true });
});

/**
 * A copy of the bare host template in a temporary folder outside the repository, removed after
 * the file's tests; `appText` replaces its app.ts.
 */
export function makeTemplateHost(appText?: string): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'kjp-cli-'));
  madeDirectories.push(directory);
  cpSync(templateDirectory, directory, { recursive: true });
  if (appText !== undefined) writeFileSync(path.join(directory, 'app.ts'), appText);
  return directory;
}

export function readTemplateApp(): string {
  return readFileSync(path.join(templateDirectory, 'app.ts'), 'utf8');
}

/** Collects what a command prints. */
export function collectOutput(): { output: CliOutput; stdout(): string; stderr(): string } {
  const out: string[] = [];
  const err: string[] = [];
  return { output: { out: (text) => out.push(text), err: (text) => err.push(text) }, stdout: () => out.join('\n'), stderr: () => err.join('\n') };
}

/** Every file below `directory` with its content, for comparing a folder before and after. */
export function readTree(directory: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(directory, { recursive: true, encoding: 'utf8' }).sort()) {
    const file = path.join(directory, name);
    try {
      files[name] = readFileSync(file, 'utf8');
    } catch {
      // A folder has no content of its own; its files are listed by name.
    }
  }
  return files;
}

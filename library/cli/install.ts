import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { findAppFile } from './app-file/find-app-file';
import { loadTypeScript } from './app-file/load-typescript';
import { parseAppFile } from './app-file/parse-app-file';
import { type AppEditPlan, planAppEdit } from './app-file/plan-app-edit';
import type { CliOutput } from './cli-output';
import { formatInstallManifest, hashContent, type InstallManifest, manifestName, readInstallManifest } from './install/install-manifest';
import { addDependencies, readDependencyRanges } from './install/plan-package-json';
import { makeStarterFiles } from './install/starter-files';
import { formatUnifiedDiff } from './install/text-diff';

export interface InstallOptions {
  /** The host's root folder, where its package.json is. */
  directory: string;
  /** The app file relative to `directory`; found among the usual names when left out. */
  appFile?: string;
  mountPath: string;
  dryRun: boolean;
}

/** The installer's outcome for one file: what it wrote, or would write with `dryRun`. */
export interface FileOutcome {
  /** Path relative to the host folder. */
  file: string;
  status: 'created' | 'updated' | 'unchanged' | 'kept';
  detail: string;
}

export interface InstallResult {
  exitCode: number;
  files: FileOutcome[];
  app: AppEditPlan;
}

/** Exit code when everything else is installed but the app file needs the printed lines added by hand. */
export const manualEditExitCode = 3;

interface PlannedWrite {
  outcome: FileOutcome;
  absolutePath: string;
  before: string | null;
  after: string;
}

/**
 * Installs koa-jobs-powertools into a Koa host: adds the dependencies to package.json,
 * generates the host-owned seams (auth, display policy, cron entries, migration script) and
 * mounts the control plane in the app file. Running it again changes nothing. A generated file
 * the host changed is never overwritten, and an app file the installer does not recognise is
 * left alone with the exact lines to add printed instead.
 */
export function runInstall(options: InstallOptions, output: CliOutput): InstallResult {
  const directory = path.resolve(options.directory);
  const packageFile = path.join(directory, 'package.json');
  if (!existsSync(packageFile)) {
    throw new Error(`No package.json in ${directory}. Run jobs-powertools install in the host's root folder, or pass --dir with it.`);
  }
  const appFile = findAppFile(directory, options.appFile);
  const seamsDirectory = path.join(path.dirname(appFile), 'jobs-powertools');
  const relative = (file: string) => path.relative(directory, file).split(path.sep).join('/');

  const parsed = parseAppFile(loadTypeScript(directory), appFile);
  const app = planAppEdit(parsed, { mountPath: options.mountPath, seamsPath: './jobs-powertools', displayName: relative(appFile) });
  const writes: PlannedWrite[] = [];

  writes.push(...planStarterFiles(seamsDirectory, parsed.text, relative));
  const packageWrite = planPackageJson(packageFile, app);
  if (packageWrite) writes.push(packageWrite);
  writes.push(planAppWrite(appFile, parsed.text, app, relative(appFile)));

  const changed = writes.filter((write) => write.before !== write.after);
  if (options.dryRun) {
    printDryRun(output, directory, changed, relative);
  } else {
    for (const write of changed) {
      mkdirSync(path.dirname(write.absolutePath), { recursive: true });
      writeFileSync(write.absolutePath, write.after);
    }
    printOutcomes(output, directory, writes);
  }

  if (app.kind === 'unfamiliar') {
    output.err(`jobs-powertools did not edit ${relative(appFile)}, because it does not recognise where to mount the control plane:\n${app.reasons.map((reason) => `  - ${reason}`).join('\n')}\n${app.manualLines}`);
  } else if (app.kind === 'edit' && app.followUp) {
    output.out(app.followUp);
  }
  if (!options.dryRun && changed.length > 0) printNextSteps(output, relative(seamsDirectory));

  return { exitCode: app.kind === 'unfamiliar' ? manualEditExitCode : 0, files: writes.map((write) => write.outcome), app };
}

/**
 * Plans each starter file and the manifest. A file is written when it is missing, or when it
 * still has the hash the installer recorded (the host never touched it) and the template
 * changed. A file with any other content is the host's and is kept.
 */
function planStarterFiles(seamsDirectory: string, appText: string, relative: (file: string) => string): PlannedWrite[] {
  const manifestFile = path.join(seamsDirectory, manifestName);
  const manifest = readInstallManifest(manifestFile);
  const next: InstallManifest = { files: { ...manifest.files } };
  const writes: PlannedWrite[] = [];

  for (const starter of makeStarterFiles({ databaseUrlVariable: readDatabaseUrlVariable(appText) })) {
    const absolutePath = path.join(seamsDirectory, starter.name);
    const current = existsSync(absolutePath) ? readFileSync(absolutePath, 'utf8') : null;
    const recorded = manifest.files[starter.name];
    const file = relative(absolutePath);

    if (current === null) {
      next.files[starter.name] = hashContent(starter.content);
      writes.push({ absolutePath, before: null, after: starter.content, outcome: { file, status: 'created', detail: starter.purpose } });
    } else if (current === starter.content) {
      next.files[starter.name] = hashContent(current);
      writes.push({ absolutePath, before: current, after: current, outcome: { file, status: 'unchanged', detail: starter.purpose } });
    } else if (recorded !== undefined && recorded === hashContent(current)) {
      next.files[starter.name] = hashContent(starter.content);
      writes.push({ absolutePath, before: current, after: starter.content, outcome: { file, status: 'updated', detail: `${starter.purpose} (unchanged by the host, so regenerated from this release's template)` } });
    } else {
      const reason = recorded === undefined ? 'the host wrote it, not the installer' : 'the host changed it since the installer wrote it';
      writes.push({ absolutePath, before: current, after: current, outcome: { file, status: 'kept', detail: `${reason}; never overwritten` } });
    }
  }

  const manifestBefore = existsSync(manifestFile) ? readFileSync(manifestFile, 'utf8') : null;
  // Rewriting an equivalent manifest in another layout would make a second run change a file.
  const manifestAfter = manifestBefore !== null && sameManifest(manifestBefore, next) ? manifestBefore : formatInstallManifest(next);
  let manifestStatus: FileOutcome['status'] = 'updated';
  if (manifestBefore === null) manifestStatus = 'created';
  else if (manifestBefore === manifestAfter) manifestStatus = 'unchanged';
  writes.push({
    absolutePath: manifestFile,
    before: manifestBefore,
    after: manifestAfter,
    outcome: { file: relative(manifestFile), status: manifestStatus, detail: 'the hash of each generated file as the installer wrote it' },
  });
  return writes;
}

function sameManifest(text: string, manifest: InstallManifest): boolean {
  try {
    const recorded = (JSON.parse(text) as InstallManifest).files;
    return JSON.stringify(Object.entries(recorded).sort()) === JSON.stringify(Object.entries(manifest.files).sort());
  } catch {
    // An unreadable manifest was already rejected by readInstallManifest; treat it as different.
    return false;
  }
}

function planPackageJson(packageFile: string, app: AppEditPlan): PlannedWrite | null {
  const before = readFileSync(packageFile, 'utf8');
  const ranges = readDependencyRanges();
  const wanted: Record<string, string> = { 'koa-jobs-powertools': ranges.library };
  // pg-boss is added only when the installer's lines create the pg-boss instance.
  const createsBoss = app.kind === 'unfamiliar' || (app.kind === 'edit' && app.createsBoss);
  if (createsBoss) wanted['pg-boss'] = ranges.pgBoss;

  const { text, added } = addDependencies(before, wanted);
  const detail = added.length > 0 ? `added ${added.map((name) => `${name} ${wanted[name]}`).join(', ')}; run npm install` : 'already lists koa-jobs-powertools';
  return { absolutePath: packageFile, before, after: text, outcome: { file: 'package.json', status: added.length > 0 ? 'updated' : 'unchanged', detail } };
}

function planAppWrite(appFile: string, text: string, app: AppEditPlan, displayName: string): PlannedWrite {
  if (app.kind === 'edit') return { absolutePath: appFile, before: text, after: app.text, outcome: { file: displayName, status: 'updated', detail: app.summary } };
  const detail = app.kind === 'installed' ? app.detail : 'not recognised; add the lines printed below';
  return { absolutePath: appFile, before: text, after: text, outcome: { file: displayName, status: app.kind === 'installed' ? 'unchanged' : 'kept', detail } };
}

/** Reads which environment variable the app file's pool takes its URL from, so the migration script uses the same one. */
function readDatabaseUrlVariable(appText: string): string {
  return /connectionString:\s*process\.env\.([A-Z_][A-Z0-9_]*)/.exec(appText)?.[1] ?? 'DATABASE_URL';
}

function printDryRun(output: CliOutput, directory: string, changed: PlannedWrite[], relative: (file: string) => string): void {
  if (changed.length === 0) {
    output.out(`jobs-powertools install --dry-run in ${directory}: nothing to change.`);
    return;
  }
  output.out(`jobs-powertools install --dry-run in ${directory}: ${changed.length} file(s) would change; nothing was written.`);
  for (const write of changed) output.out(formatUnifiedDiff(relative(write.absolutePath), write.before, write.after));
}

function printOutcomes(output: CliOutput, directory: string, writes: PlannedWrite[]): void {
  const changed = writes.filter((write) => write.before !== write.after);
  output.out(changed.length === 0 ? `jobs-powertools install in ${directory}: nothing to change.` : `jobs-powertools install in ${directory}: ${changed.length} file(s) written.`);
  for (const { outcome } of writes) output.out(`  ${outcome.status.padEnd(9)} ${outcome.file}: ${outcome.detail}`);
}

function printNextSteps(output: CliOutput, seamsFolder: string): void {
  output.out([
    'Next:',
    '  1. Run npm install to fetch the added dependencies.',
    `  2. Edit ${seamsFolder}/auth.ts: until you do, it denies everyone.`,
    `  3. Declare your cron entries in ${seamsFolder}/cron-entries.ts, if you have any.`,
    `  4. Run the migrations with ${seamsFolder}/migrate.ts, or npx jobs-powertools migrate up.`,
    '  5. Start the host, sign in and open the mount; npx jobs-powertools doctor --url <host URL> checks the wiring.',
  ].join('\n'));
}

import { parseArgs } from 'node:util';

import { appFileCandidates } from './app-file/find-app-file';
import { type CliOutput, processOutput, UsageError } from './cli-output';
import { runDoctor } from './doctor';
import { runInstall } from './install';
import { runMigrate } from './migrate';

const helpIndent = ' '.repeat(22);

/** Wraps an option's description at 100 columns, indented below the option's name. */
function wrapOptionHelp(text: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && helpIndent.length + line.length + 1 + word.length > 100) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  lines.push(line);
  return lines.join(`\n${helpIndent}`);
}

// Generated from the list findAppFile walks, so the help names exactly the files it looks at.
const appFileHelp = wrapOptionHelp(
  `The file that creates the Koa app, relative to --dir. Default: the first of ${appFileCandidates.slice(0, -1).join(', ')} or ${appFileCandidates[appFileCandidates.length - 1]} that imports from 'koa' (and, for doctor, calls createPowertools).`,
);

export const usage = `Usage: jobs-powertools <command> [options]

Commands:
  install             Add koa-jobs-powertools to this Koa host: the dependencies, host-owned
                      starter seams in jobs-powertools/, and the mount in the app file.
  doctor              Check the host's seams, mount, database, migrations, pg-boss schema,
                      scheduler and bridge dependency; exit 1 when any check fails.
  migrate up|down|status
                      Apply pending library migrations, revert the newest one, or list them.

Options:
  --dir PATH          The host's root folder, where its package.json is. Default: the current folder.
  --app PATH          ${appFileHelp}
  --mount-path PATH   Where the control plane is mounted. Default: /ops/jobs.
  --dry-run           install: print the diff of every change and write nothing.
  --url URL           doctor: base URL of the running host, to check that the mount answers.
  --to NAME           migrate up: apply up to and including this migration.
  --json              doctor, migrate: print JSON instead of text.
  --help              Print this help.

Environment:
  DATABASE_URL        The host's Postgres URL, for doctor and migrate. Never printed.

Exit codes: 0 done; 1 a check or command failed; 2 invalid usage; 3 install could not
recognise the app file and printed the lines to add by hand.`;

/** Runs one CLI invocation and returns its exit code. Errors are printed, never thrown. */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv = process.env, output: CliOutput = processOutput): Promise<number> {
  try {
    return await dispatch(argv, env, output);
  } catch (error) {
    if (error instanceof UsageError) {
      output.err(`${error.message}\n\n${usage}`);
      return 2;
    }
    output.err(`jobs-powertools failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

async function dispatch(argv: string[], env: NodeJS.ProcessEnv, output: CliOutput): Promise<number> {
  const { values, positionals } = parseArgsOrUsage(argv);
  const [command, ...rest] = positionals;
  if (values.help || command === 'help') {
    output.out(usage);
    return 0;
  }
  const common = { directory: values.dir ?? process.cwd(), appFile: values.app, mountPath: readMountPath(values['mount-path']) };

  if (command === 'install') {
    rejectExtra(command, rest);
    return runInstall({ ...common, dryRun: values['dry-run'] ?? false }, output).exitCode;
  }
  if (command === 'doctor') {
    rejectExtra(command, rest);
    return (await runDoctor({ ...common, url: values.url, json: values.json ?? false, databaseUrl: env.DATABASE_URL }, output)).exitCode;
  }
  if (command === 'migrate') {
    const [direction, ...extra] = rest;
    if (direction !== 'up' && direction !== 'down' && direction !== 'status') {
      throw new UsageError(`migrate needs up, down or status, got ${direction === undefined ? 'nothing' : JSON.stringify(direction)}.`);
    }
    rejectExtra(`migrate ${direction}`, extra);
    return runMigrate({ direction, to: values.to, json: values.json ?? false, databaseUrl: env.DATABASE_URL }, output);
  }
  throw new UsageError(command === undefined ? 'A command is missing.' : `Unknown command ${JSON.stringify(command)}; expected install, doctor or migrate.`);
}

function parseArgsOrUsage(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        dir: { type: 'string' },
        app: { type: 'string' },
        'mount-path': { type: 'string' },
        'dry-run': { type: 'boolean' },
        url: { type: 'string' },
        to: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function readMountPath(value: string | undefined): string {
  const mountPath = value ?? '/ops/jobs';
  if (!/^\/[A-Za-z0-9._~\-/]*[^/]$/.test(mountPath) || mountPath.includes('//')) {
    throw new UsageError(`--mount-path must be a path like /ops/jobs: starting with "/", not ending with "/", got ${JSON.stringify(mountPath)}.`);
  }
  return mountPath;
}

function rejectExtra(command: string, extra: string[]): void {
  if (extra.length > 0) throw new UsageError(`${command} takes no further arguments, got ${extra.map((argument) => JSON.stringify(argument)).join(' ')}.`);
}

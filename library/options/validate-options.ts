import type { Pool } from 'pg';
import type { PgBoss } from 'pg-boss';

import { type BridgeOptions, type ResolvedBridgeOptions, validateBridgeOptions } from '../bridge/bridge-options';
import { PowertoolsConfigError } from '../errors';
import type { AuthModule, DisplayPolicy, Logger } from '../seams';
import type { CronEntryDeclaration, ResolvedCronEntryDeclaration } from '../scheduler/cron-entry-declaration';
import { validateCronEntryDeclarations } from '../scheduler/cron-entry-declaration';

export interface PowertoolsOptions {
  /** The host's `pg.Pool`. The library runs its queries and transactions on it. */
  repo: Pool;
  auth: AuthModule;
  displayPolicy: DisplayPolicy;
  /** A started or startable pg-boss instance; cron entries fire into it. */
  boss: PgBoss;
  /**
   * The read-only bridge to @pg-boss/dashboard at `pg-boss` below the mount: false (the default)
   * or `{ enabled: true }`. Enabling it needs the optional peer dependency installed.
   */
  bridge?: BridgeOptions;
  logger?: Logger;
  /** Path a denied or anonymous page request is redirected to. Default `/`, the host root. */
  deniedRedirect?: string;
  /** Cron entries declared in host code, synchronised into the table at start. */
  cronEntries?: CronEntryDeclaration[];
  /**
   * Whether `runtime.start()` retires entries missing from `cronEntries`: they stop firing and
   * keep their history. Default true; set false when entries are also created outside code.
   */
  retireUndeclaredCronEntries?: boolean;
  /** Seconds between scheduler ticks. Default 5. */
  schedulerIntervalSeconds?: number;
  /**
   * Whether the overview refreshes its counts every 15 seconds with a small script served from
   * the mount. Enable it only when the host's content security policy allows `script-src 'self'`;
   * without it the overview is a plain page. Default false.
   */
  liveUpdates?: boolean;
  /** Shortest operator reason accepted for an audited action. Default 8 characters. */
  minimumReasonLength?: number;
}

export interface ResolvedOptions extends Required<Omit<PowertoolsOptions, 'logger' | 'bridge' | 'cronEntries'>> {
  logger: Logger | undefined;
  bridge: ResolvedBridgeOptions | false;
  cronEntries: ResolvedCronEntryDeclaration[];
}

const guideHint = 'See guides/upgrade-and-compatibility.md for the host seams.';

/**
 * Validates every option and fills in the defaults. Throws `PowertoolsConfigError` naming the
 * option, the value seen and the fix. The three host seams have no defaults on purpose: a
 * missing auth or display policy must stop the host, not fall back to something permissive.
 */
export function validateOptions(options: unknown): ResolvedOptions {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new PowertoolsConfigError(
      'options',
      `createPowertools: options must be an object with repo, auth, displayPolicy and boss, got ${describe(options)}. Call it as createPowertools({ repo: pool, auth, displayPolicy, boss }). ${guideHint}`,
    );
  }
  const input = options as Record<string, unknown>;

  validateRepo(input.repo);
  validateAuth(input.auth);
  validateDisplayPolicy(input.displayPolicy);
  validateBoss(input.boss);
  const bridge = validateBridgeOptions(input.bridge, describe);
  validateLogger(input.logger);

  const deniedRedirect = input.deniedRedirect ?? '/';
  if (typeof deniedRedirect !== 'string' || !deniedRedirect.startsWith('/') || deniedRedirect.startsWith('//')) {
    throw new PowertoolsConfigError(
      'deniedRedirect',
      `deniedRedirect must be a path on the host starting with a single "/", got ${typeof deniedRedirect === 'string' ? JSON.stringify(deniedRedirect) : describe(deniedRedirect)}.`,
    );
  }

  const schedulerIntervalSeconds = input.schedulerIntervalSeconds ?? 5;
  if (typeof schedulerIntervalSeconds !== 'number' || !(schedulerIntervalSeconds >= 0.1 && schedulerIntervalSeconds <= 60)) {
    throw new PowertoolsConfigError(
      'schedulerIntervalSeconds',
      `schedulerIntervalSeconds must be a number of seconds from 0.1 to 60, got ${describe(schedulerIntervalSeconds)}.`,
    );
  }

  const retireUndeclaredCronEntries = input.retireUndeclaredCronEntries ?? true;
  if (typeof retireUndeclaredCronEntries !== 'boolean') {
    throw new PowertoolsConfigError(
      'retireUndeclaredCronEntries',
      `retireUndeclaredCronEntries must be true or false, got ${describe(retireUndeclaredCronEntries)}. Leave it out to retire entries missing from cronEntries at start, or set it to false when entries are also created outside code.`,
    );
  }

  const liveUpdates = input.liveUpdates ?? false;
  if (typeof liveUpdates !== 'boolean') {
    throw new PowertoolsConfigError(
      'liveUpdates',
      `liveUpdates must be true or false, got ${describe(liveUpdates)}. Set it to true only when the host's content security policy allows script-src 'self', or leave it out for an overview without scripts.`,
    );
  }

  const minimumReasonLength = input.minimumReasonLength ?? 8;
  if (!Number.isInteger(minimumReasonLength) || (minimumReasonLength as number) < 1 || (minimumReasonLength as number) > 500) {
    throw new PowertoolsConfigError(
      'minimumReasonLength',
      `minimumReasonLength must be a whole number from 1 to 500, got ${describe(minimumReasonLength)}. An audited action always needs a reason.`,
    );
  }

  return {
    repo: input.repo as Pool,
    auth: input.auth as AuthModule,
    displayPolicy: input.displayPolicy as DisplayPolicy,
    boss: input.boss as PgBoss,
    bridge,
    logger: input.logger as Logger | undefined,
    deniedRedirect,
    cronEntries: validateCronEntryDeclarations(input.cronEntries ?? []),
    retireUndeclaredCronEntries,
    liveUpdates,
    schedulerIntervalSeconds,
    minimumReasonLength: minimumReasonLength as number,
  };
}

function validateRepo(repo: unknown): void {
  if (repo === undefined || repo === null) {
    throw new PowertoolsConfigError(
      'repo',
      `createPowertools: repo is missing. Pass the host's pg.Pool, for example repo: new Pool({ connectionString: process.env.DATABASE_URL }). ${guideHint}`,
    );
  }
  if (!hasMethods(repo, ['query', 'connect'])) {
    throw new PowertoolsConfigError(
      'repo',
      `createPowertools: repo must be a pg.Pool with query() and connect(), got ${describe(repo)}. Pass the pool itself, not a client or a connection string.`,
    );
  }
}

function validateAuth(auth: unknown): void {
  if (auth === undefined || auth === null) {
    throw new PowertoolsConfigError(
      'auth',
      `createPowertools: auth is missing. Pass a host-owned AuthModule with currentActor(ctx), authorize(actor, action, resource) and auditPrincipal(actor); there is no default auth. ${guideHint}`,
    );
  }
  const missing = ['currentActor', 'authorize', 'auditPrincipal'].filter((name) => !hasMethods(auth, [name]));
  if (missing.length > 0) {
    throw new PowertoolsConfigError(
      'auth',
      `createPowertools: auth is missing the method(s) ${missing.join(', ')}. An AuthModule needs currentActor(ctx), authorize(actor, action, resource) and auditPrincipal(actor). ${guideHint}`,
    );
  }
}

function validateDisplayPolicy(displayPolicy: unknown): void {
  if (displayPolicy === undefined || displayPolicy === null) {
    throw new PowertoolsConfigError(
      'displayPolicy',
      `createPowertools: displayPolicy is missing. Add a host-owned display policy module with display(kind, value, context) returning the text to show or null, and pass it as displayPolicy; there is no default display policy. ${guideHint}`,
    );
  }
  if (!hasMethods(displayPolicy, ['display'])) {
    throw new PowertoolsConfigError(
      'displayPolicy',
      `createPowertools: displayPolicy must have a display(kind, value, context) method, got ${describe(displayPolicy)}. ${guideHint}`,
    );
  }
}

function validateBoss(boss: unknown): void {
  if (boss === undefined || boss === null) {
    throw new PowertoolsConfigError(
      'boss',
      `createPowertools: boss is missing. Pass the host's pg-boss instance (new PgBoss(...)); cron entries fire into it.`,
    );
  }
  if (!hasMethods(boss, ['send', 'createQueue', 'getQueue'])) {
    throw new PowertoolsConfigError(
      'boss',
      `createPowertools: boss must be a pg-boss 12 instance with send(), createQueue() and getQueue(), got ${describe(boss)}.`,
    );
  }
}

function validateLogger(logger: unknown): void {
  if (logger === undefined) return;
  if (!hasMethods(logger, ['debug', 'info', 'warn', 'error'])) {
    throw new PowertoolsConfigError(
      'logger',
      `createPowertools: logger must have debug, info, warn and error methods (a pino logger does), got ${describe(logger)}.`,
    );
  }
}

function hasMethods(value: unknown, names: string[]): boolean {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
  const record = value as Record<string, unknown>;
  return names.every((name) => typeof record[name] === 'function');
}

/** Describes a value for an error message without printing its content, which may be secret. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') {
    const name = (value as object).constructor?.name;
    return name && name !== 'Object' ? `an instance of ${name}` : 'a plain object';
  }
  // Any string could be a connection string, a password or a token, so none is echoed.
  if (typeof value === 'string') return `a string of ${value.length} characters`;
  // String() of a function is its source code, which is no help in a one-line message.
  if (typeof value === 'function') return 'a function';
  if (value === undefined) return 'undefined';
  return `${typeof value} ${String(value)}`;
}

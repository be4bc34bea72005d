import { PowertoolsConfigError } from '../errors';

/**
 * The `bridge` option: `false` (the default) or an object that enables the read-only bridge to
 * @pg-boss/dashboard at `pg-boss` below the mount.
 */
export type BridgeOptions =
  | false
  | {
      enabled: boolean;
      /**
       * Connection string the dashboard opens its own connections with. Default: the
       * `connectionString` of `repo`. It must reach the same database as `repo`; set it when the
       * pool was built from separate fields with TLS options or a password function.
       */
      connectionString?: string;
      /**
       * Whether the bridge adds the hash of each inline script and inline style of a dashboard
       * page to that response's Content-Security-Policy header, so the dashboard runs under a
       * host policy such as `script-src 'self'`. Default true. With false the header is left
       * alone, and a strict policy keeps the dashboard's scripts from running.
       */
      extendContentSecurityPolicy?: boolean;
    };

export interface ResolvedBridgeOptions {
  connectionString: string | null;
  extendContentSecurityPolicy: boolean;
}

const knownKeys = ['enabled', 'connectionString', 'extendContentSecurityPolicy'];

/**
 * Checks the `bridge` option. Returns false for a disabled bridge and the resolved settings for
 * an enabled one. Throws `PowertoolsConfigError` naming what is wrong and the fix.
 */
export function validateBridgeOptions(bridge: unknown, describe: (value: unknown) => string): ResolvedBridgeOptions | false {
  if (bridge === undefined || bridge === false) return false;
  if (bridge === null || typeof bridge !== 'object' || Array.isArray(bridge)) {
    throw new PowertoolsConfigError(
      'bridge',
      `createPowertools: bridge must be false or an object such as { enabled: true }, got ${describe(bridge)}.`,
    );
  }

  const input = bridge as Record<string, unknown>;
  const unknownKeys = Object.keys(input).filter((key) => !knownKeys.includes(key));
  if (unknownKeys.length > 0) {
    throw new PowertoolsConfigError(
      'bridge',
      `createPowertools: bridge has unknown option(s) ${unknownKeys.join(', ')}. Expected only ${knownKeys.join(', ')}.`,
    );
  }
  if (typeof input.enabled !== 'boolean') {
    throw new PowertoolsConfigError(
      'bridge',
      `createPowertools: bridge.enabled must be true or false, got ${describe(input.enabled)}. Write bridge: { enabled: true } to mount the read-only pg-boss dashboard, or bridge: false.`,
    );
  }
  if (!input.enabled) return false;

  const connectionString = input.connectionString ?? null;
  if (connectionString !== null && (typeof connectionString !== 'string' || !/^postgres(ql)?:\/\//.test(connectionString))) {
    throw new PowertoolsConfigError(
      'bridge',
      `createPowertools: bridge.connectionString must be a postgres:// or postgresql:// URL to the same database as repo, got ${describe(connectionString)}. Leave it out to use repo's connection string.`,
    );
  }

  const extendContentSecurityPolicy = input.extendContentSecurityPolicy ?? true;
  if (typeof extendContentSecurityPolicy !== 'boolean') {
    throw new PowertoolsConfigError(
      'bridge',
      `createPowertools: bridge.extendContentSecurityPolicy must be true or false, got ${describe(extendContentSecurityPolicy)}.`,
    );
  }

  return { connectionString, extendContentSecurityPolicy };
}

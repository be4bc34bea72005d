/** Names and paths the generated lines use, filled from the app file or with the documented defaults. */
export interface AppEditNames {
  appName: string;
  poolName: string;
  /** Source text of the Postgres URL pg-boss connects with, when it creates its own instance. */
  connectionText: string;
  /** An existing pg-boss instance to reuse, or null to create `boss`. */
  existingBossName: string | null;
  startsExistingBoss: boolean;
  loggerName: string | null;
  routerName: string;
  mountPath: string;
  /** Import path of the generated seams folder relative to the app file, e.g. `./jobs-powertools`. */
  seamsPath: string;
}

export interface AppEditLines {
  packageImports: string[];
  seamImports: string[];
  mount: string[];
  start: string[];
  stop: string[];
}

/** Generates the lines the installer adds to an app file, or prints for the host to add. */
export function makeAppEditLines(names: AppEditNames, alreadyImported: { router: boolean; pgBoss: boolean }): AppEditLines {
  const bossName = names.existingBossName ?? 'boss';
  const packageImports = ["import { createPowertools } from 'koa-jobs-powertools';"];
  if (!names.existingBossName && !alreadyImported.pgBoss) packageImports.push("import { PgBoss } from 'pg-boss';");
  if (!alreadyImported.router) packageImports.push("import Router from '@koa/router';");

  const mount = [`// koa-jobs-powertools: the jobs control plane in the host-owned ${names.mountPath} scope, behind the pipeline above.`];
  if (!names.existingBossName) {
    mount.push(`const boss = new PgBoss({ connectionString: ${names.connectionText} });`);
    // pg-boss emits 'error' for failures in its background work; an EventEmitter without a listener would crash the process.
    mount.push(names.loggerName ? `boss.on('error', (error) => ${names.loggerName}.error({ err: error }, 'pg-boss reported an error'));` : "boss.on('error', (error) => console.error('pg-boss reported an error', error));");
  }
  mount.push(
    'const powertools = createPowertools({',
    `  repo: ${names.poolName},`,
    '  auth: jobsAuth,',
    '  displayPolicy: jobsDisplayPolicy,',
    bossName === 'boss' ? '  boss,' : `  boss: ${bossName},`,
    '  cronEntries: jobsCronEntries,',
    ...(names.loggerName ? [names.loggerName === 'logger' ? '  logger,' : `  logger: ${names.loggerName},`] : []),
    '});',
    `const jobsScope = new ${names.routerName}({ prefix: '${names.mountPath}' });`,
    'jobsScope.use(requireJobsActor);',
    'jobsScope.use(powertools.router.routes(), powertools.router.allowedMethods());',
    `${names.appName}.use(jobsScope.routes()).use(jobsScope.allowedMethods());`,
  );

  const start = [...(names.existingBossName && names.startsExistingBoss ? [] : [`await ${bossName}.start();`]), 'await powertools.runtime.start();'];
  const stop = ['await powertools.runtime.stop();', ...(names.existingBossName ? [] : ['await boss.stop({ graceful: true, timeout: 5000 });'])];

  return {
    packageImports,
    seamImports: [
      `import { jobsAuth, requireJobsActor } from '${names.seamsPath}/auth';`,
      `import { jobsCronEntries } from '${names.seamsPath}/cron-entries';`,
      `import { jobsDisplayPolicy } from '${names.seamsPath}/display-policy';`,
    ],
    mount,
    start,
    stop,
  };
}

/** The instructions printed when the installer does not edit the app file itself. */
export function formatManualLines(appFile: string, lines: AppEditLines): string {
  const indent = (block: string[]) => block.map((line) => `    ${line}`).join('\n');
  return [
    `Add these imports to ${appFile}:`,
    indent([...lines.packageImports, ...lines.seamImports]),
    'Add these lines where the app is built: after the host\'s session and auth middleware, before the host\'s routes are mounted:',
    indent(lines.mount),
    'Add these lines before the server starts listening, inside an async function:',
    indent(lines.start),
    'Add these lines where the host shuts down, before it closes the pool:',
    indent(lines.stop),
  ].join('\n');
}

import { Pool } from 'pg';
import { PgBoss } from 'pg-boss';
import pino from 'pino';

import { makeHostApp } from './app';
import { readHostConfig } from './config';
import { startWorkers } from './workers';
import { registerWorkflowHandlers } from './workflows';

/**
 * Starts the reference host as its own process with `DATABASE_URL` and `PORT`; `SESSION_KEYS`
 * keeps sessions valid across restarts. It expects migrations to have run (`migrate.ts`); the library refuses to start
 * otherwise. SIGTERM and SIGINT stop the scheduler, pg-boss and the pool in that order.
 */
async function main(): Promise<void> {
  const logger = pino({ name: 'reference-host', level: process.env.LOG_LEVEL ?? 'info' });
  const config = readHostConfig(process.env);
  if (config.sessionKeysGenerated) {
    logger.warn({ event: 'host:session_keys_generated' }, 'SESSION_KEYS is not set; sessions are signed with a key generated for this process and end when it stops');
  }

  const pool = new Pool({ connectionString: config.databaseUrl, max: 10 });
  pool.on('error', (error) => logger.error({ err: error }, 'idle Postgres client failed'));
  // persistQueueStats feeds the overview's 24-hour chart from pg-boss's own queue statistics.
  const boss = new PgBoss({ connectionString: config.databaseUrl, max: 5, persistQueueStats: true });
  boss.on('error', (error) => logger.error({ err: error }, 'pg-boss reported an error'));

  const { app, powertools } = makeHostApp({ pool, boss, logger, sessionKeys: config.sessionKeys, trustProxy: config.trustProxy });
  await boss.start();
  await startWorkers(boss, logger);
  await registerWorkflowHandlers(powertools.workflows, logger);
  await powertools.runtime.start();

  const server = app.listen(config.port, '127.0.0.1', () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    logger.info({ event: 'host:listening', port }, `reference host listening on http://127.0.0.1:${port}`);
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ event: 'host:stopping', signal }, 'reference host stopping');
    server.close();
    await powertools.runtime.stop();
    await boss.stop({ graceful: true, timeout: 5000 });
    await pool.end();
    logger.info({ event: 'host:stopped' }, 'reference host stopped');
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((error) => {
  // Startup errors name the option and the fix; print them plainly and exit non-zero.
  process.stderr.write(`reference host failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

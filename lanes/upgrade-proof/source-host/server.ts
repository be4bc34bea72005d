import { Pool } from 'pg';
import { PgBoss } from 'pg-boss';
import pino from 'pino';

import { makeApp } from './app';

async function main() {
  const logger = pino({ name: 'billing-host' });
  const pool = new Pool({ connectionString: process.env.DATABASE_URL });
  const boss = new PgBoss({ connectionString: process.env.DATABASE_URL });
  boss.on('error', (error) => logger.error({ err: error }, 'pg-boss error'));

  const { app, powertools } = makeApp(pool, boss, logger, String(process.env.SESSION_KEYS).split(','));
  await boss.start();
  await boss.createQueue('nightly_sync');
  await boss.createQueue('reports');
  await boss.work('nightly_sync', async (jobs) => logger.info({ count: jobs.length }, 'ledger synced'));
  await powertools.runtime.start();

  const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
    const address = server.address();
    logger.info({ event: 'host:listening', port: typeof address === 'object' && address ? address.port : null }, 'billing host listening');
  });
  const stop = async () => {
    server.close();
    await powertools.runtime.stop();
    await boss.stop({ graceful: true, timeout: 3000 });
    await pool.end();
    logger.info({ event: 'host:stopped' }, 'billing host stopped');
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error) => {
  process.stderr.write(`billing host failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

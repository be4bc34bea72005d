import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';
import session from 'koa-session';
import { Pool } from 'pg';
import pino from 'pino';

import { renderHome, renderLogin } from './pages';
import { verifyUser } from './users';

/** Starts the app: a pool from DATABASE_URL, the session pipeline, login and the home page. */
async function main(): Promise<void> {
  const logger = pino({ name: 'team-notes' });
  const pool = new Pool({ connectionString: process.env.DATABASE_URL });
  const sessionKeys = (process.env.SESSION_KEYS ?? '').split(',').filter(Boolean);
  if (sessionKeys.length === 0) throw new Error('SESSION_KEYS is missing. Set it to one or more comma-separated random keys.');

  const app = new Koa({ keys: sessionKeys });
  app.use(async (ctx, next) => {
    ctx.set('Content-Security-Policy', "default-src 'self'; frame-ancestors 'none'; form-action 'self'");
    ctx.set('X-Content-Type-Options', 'nosniff');
    await next();
  });
  app.use(session({ key: 'notes.sid', httpOnly: true, sameSite: 'lax', signed: true }, app));
  app.use(bodyParser({ enableTypes: ['form'] }));

  const router = new Router();
  router.get('/', (ctx) => {
    ctx.type = 'html';
    ctx.body = renderHome(ctx.session?.username ?? null);
  });
  router.get('/login', (ctx) => {
    ctx.type = 'html';
    ctx.body = renderLogin(null);
  });
  router.post('/login', async (ctx) => {
    const { username, password } = ctx.request.body as { username?: string; password?: string };
    const user = await verifyUser(pool, String(username ?? ''), String(password ?? ''));
    if (!user) {
      ctx.status = 401;
      ctx.type = 'html';
      ctx.body = renderLogin('Unknown user or wrong password.');
      return;
    }
    ctx.session!.userId = user.id;
    ctx.session!.username = user.username;
    ctx.session!.role = user.role;
    ctx.redirect('/');
  });
  router.post('/logout', (ctx) => {
    ctx.session = null;
    ctx.redirect('/');
  });
  app.use(router.routes()).use(router.allowedMethods());

  const port = Number(process.env.PORT ?? 3000);
  const server = app.listen(port, '127.0.0.1', () => {
    const address = server.address();
    logger.info({ event: 'host:listening', port: typeof address === 'object' && address ? address.port : port }, 'team-notes listening');
  });

  const stop = async () => {
    server.close();
    await pool.end();
    logger.info({ event: 'host:stopped' }, 'team-notes stopped');
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

main().catch((error) => {
  process.stderr.write(`team-notes failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

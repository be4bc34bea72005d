// The host-owned values a guide's TypeScript snippet may use without declaring them. Each
// snippet is type-checked as its own module with these in scope; any other name must be
// imported or declared in the snippet itself.

declare const pool: import('pg').Pool;
declare const boss: import('pg-boss').PgBoss;
declare const app: import('koa')<import('koa').DefaultState, import('koa').DefaultContext>;
declare const logger: import('pino').Logger;
declare const hostAuth: import('koa-jobs-powertools').AuthModule;
declare const hostDisplayPolicy: import('koa-jobs-powertools').DisplayPolicy;
declare const requireSignedIn: import('koa').Middleware;
declare function makeJobsAuth(pool: import('pg').Pool): import('koa-jobs-powertools').AuthModule;

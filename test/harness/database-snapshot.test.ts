import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, test } from 'node:test';

import { compareWithBefore, snapshotDatabase } from '../../step-definitions/support/database-snapshot';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

let database: TestDatabase;
let allPassed = true;

before(async () => {
  database = await createTestDatabase(__filename);
});
beforeEach(async () => {
  await database.pool.query(`
    drop schema if exists app cascade;
    create schema app;
    create table app.accounts (id int primary key, owner text not null, balance int not null);
    insert into app.accounts values (1, 'bystander', 10), (2, 'subject', 20), (3, 'other', 30);`);
});
afterEach((t) => {
  // Hooks are typed for suites too, but afterEach only ever receives a TestContext.
  if ('passed' in t && !t.passed) allPassed = false;
});
after(async () => database.finish(allPassed));

test('compareWithBefore accepts added rows and columns', async () => {
  const before = await snapshotDatabase(database.pool, ['app']);
  await database.pool.query(`alter table app.accounts add column note text; insert into app.accounts values (4, 'new', 0, 'added')`);

  const comparison = await compareWithBefore(database.pool, before);

  assert.deepEqual(comparison.losses, []);
  assert.equal(comparison.rowsCompared, 3);
});

test('compareWithBefore reports a changed row', async () => {
  const before = await snapshotDatabase(database.pool, ['app']);
  await database.pool.query(`update app.accounts set balance = 21 where owner = 'subject'`);

  const comparison = await compareWithBefore(database.pool, before);

  assert.deepEqual(comparison.losses, ['app.accounts: 1 of 3 rows missing or changed']);
});

test('compareWithBefore reports a deleted row', async () => {
  const before = await snapshotDatabase(database.pool, ['app']);
  await database.pool.query(`delete from app.accounts where owner = 'subject'`);

  const comparison = await compareWithBefore(database.pool, before);

  assert.deepEqual(comparison.losses, ['app.accounts: 1 of 3 rows missing or changed']);
});

test('compareWithBefore reports a dropped table', async () => {
  const before = await snapshotDatabase(database.pool, ['app']);
  await database.pool.query('drop table app.accounts');

  const comparison = await compareWithBefore(database.pool, before);

  assert.deepEqual(comparison.losses, ['app.accounts: table is gone (had 3 rows)']);
});

test('compareWithBefore reports a duplicate that replaced a row', async () => {
  await database.pool.query(`alter table app.accounts drop constraint accounts_pkey; insert into app.accounts values (1, 'bystander', 10)`);
  const before = await snapshotDatabase(database.pool, ['app']);
  await database.pool.query(`delete from app.accounts where ctid = (select min(ctid) from app.accounts where id = 1)`);

  const comparison = await compareWithBefore(database.pool, before);

  assert.deepEqual(comparison.losses, ['app.accounts: 1 of 4 rows missing or changed']);
});

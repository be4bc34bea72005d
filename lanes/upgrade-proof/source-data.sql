-- The billing host's own tables and what 0.1.0 wrote while the host ran: cron entries (one
-- paused before pause reasons existed) and audit events. Loaded after the 0.1.0 migrations.
create schema if not exists billing;

create table if not exists billing.operators (
  id integer primary key,
  login text not null unique,
  permission text not null check (permission in ('operate', 'inspect', 'none')),
  secret_hash bytea not null,
  secret_salt bytea not null
);

create table if not exists billing.invoices (
  id integer primary key,
  customer text not null,
  amount_cents integer not null,
  issued_on date not null
);

insert into billing.invoices (id, customer, amount_cents, issued_on) values
  (1, 'cust_1001', 12900, date '2026-10-01'),
  (2, 'cust_1002', 4500, date '2026-10-03'),
  (3, 'cust_1003', 99000, date '2026-11-01');

insert into jobs_powertools.cron_entries (name, schedule, timezone, queue, args, paused_at, paused_by, created_at, updated_at) values
  ('nightly_sync', '30 1 * * *', 'Europe/Berlin', 'nightly_sync', '{"ledger": "main"}', null, null,
   timestamptz '2026-09-01 08:00:00+00', timestamptz '2026-09-01 08:00:00+00'),
  ('weekly_report', '0 6 * * 1', 'Europe/Berlin', 'reports', '{"format": "pdf"}', timestamptz '2026-11-20 17:45:00+00', 'ops-lead',
   timestamptz '2026-09-01 08:00:00+00', timestamptz '2026-11-20 17:45:00+00');

insert into jobs_powertools.audit_events (occurred_at, action, resource_type, resource_id, actor_id, actor_type, actor_label, reason, details) values
  (timestamptz '2026-11-20 17:45:00+00', 'pause_cron_entry', 'cron_entry', 'weekly_report', 'operator:4', 'operator', 'ops-lead',
   'Finance asked to hold the report until the ledger fix ships', '{"release": "0.1.0"}'),
  (timestamptz '2026-11-02 09:12:00+00', 'resume_cron_entry', 'cron_entry', 'nightly_sync', 'operator:4', 'operator', 'ops-lead',
   null, '{"release": "0.1.0"}');

import type { Pool } from 'pg';
import type { PgBoss, QueueResult } from 'pg-boss';

import type { DisplayKind } from '../seams';
import { countRecentlyCompletedJobs } from '../sql/count-recently-completed-jobs';
import { findNewestFailedJob } from '../sql/find-newest-failed-job';
import type { AuditEventRow } from '../sql/insert-audit-event';
import { listAuditEvents } from '../sql/list-audit-events';
import { listBlockedWorkflows } from '../sql/list-blocked-workflows';
import { listCronEntries } from '../sql/list-cron-entries';
import { type ExpiredActiveJob, listExpiredActiveJobs } from '../sql/list-expired-active-jobs';

export type BucketKey = 'needs_review' | 'blocked' | 'waiting' | 'recent' | 'operators';

export interface Exemplar {
  text: string;
  /** Link relative to the mount point. */
  link: string;
  /** A stored value the page renders through the display policy after the text. */
  value?: { kind: DisplayKind; value: unknown };
}

/** One diagnosis an operator scans: how many, what it means, who owns it, what to do next. */
export interface OverviewBucket {
  key: BucketKey;
  title: string;
  count: number;
  /** Note on how an inexact count was made, e.g. capped or from pg-boss's monitor. */
  countNote: string | null;
  diagnosis: string;
  ownership: 'Powertools-native' | 'host-owned follow-up';
  posture: 'Audited action' | 'Inspection only';
  exemplars: Exemplar[];
}

export interface Overview {
  buckets: OverviewBucket[];
  queues: QueueResult[];
  recentEvents: AuditEventRow[];
}

const exemplarCount = 3;
const countCap = 1000;
// Expired jobs are listed, not only counted, so their cap is smaller: an operator needs to know
// that jobs are stuck and see the oldest, not their exact number.
const expiredCap = 100;
const monitorNote = "from pg-boss's queue monitor; may lag by up to a minute";

/**
 * Reads what an operator needs first, in the order they need it: failures to review, work
 * that is blocked or stuck, work waiting on purpose, what ran in the last hour, and what
 * operators did. Every query is bounded by an index or a cap, so the page stays cheap on
 * tables with millions of jobs.
 */
export async function buildOverview(pool: Pool, boss: PgBoss, now = new Date()): Promise<Overview> {
  const [allQueues, cronEntries, recentEvents, workers] = await Promise.all([
    boss.getQueues(),
    listCronEntries(pool),
    listAuditEvents(pool, { limit: 5 }),
    readWorkerQueues(boss),
  ]);
  // pg-boss's own internal queues are not the host's work.
  const queues = allQueues.filter((queue) => !queue.name.startsWith('__pgboss__'));
  const failing = queues.filter((queue) => queue.failedCount > 0).sort((a, b) => b.failedCount - a.failedCount);
  const hourAgo = new Date(now.getTime() - 60 * 60 * 1000);

  // The per-queue reads are independent, so they run side by side on the pool.
  const [expired, blockedWorkflows, newestFailures, completed] = await Promise.all([
    readExpiredActiveJobs(pool, queues),
    listBlockedWorkflows(pool, expiredCap),
    Promise.all(failing.slice(0, exemplarCount).map((queue) => findNewestFailedJob(pool, queue.name))),
    Promise.all(queues.map(async (queue) => ({ queue: queue.name, count: await countRecentlyCompletedJobs(pool, queue.name, hourAgo, countCap) }))),
  ]);
  const backlogWithoutWorkers = workers ? queues.filter((queue) => queue.readyCount > 0 && !workers.has(queue.name)) : [];
  const pausedEntries = cronEntries.filter((entry) => entry.paused_at && !entry.retired_at);
  const deferred = queues.reduce((sum, queue) => sum + queue.deferredCount, 0);
  const completedTotal = completed.reduce((sum, item) => sum + item.count, 0);
  const failedTotal = failing.reduce((sum, queue) => sum + queue.failedCount, 0);

  const buckets: OverviewBucket[] = [
    {
      key: 'needs_review',
      title: 'Needs review now',
      count: failedTotal,
      countNote: monitorNote,
      diagnosis: failing.length === 0 ? 'No failed jobs are retained; nothing needs review.' : `${failedTotal} failed job(s) in ${failing.length} queue(s); the worst is ${failing[0].name}. Retry or cancel them from the job page.`,
      ownership: 'Powertools-native',
      posture: 'Audited action',
      exemplars: newestFailures.flatMap((job) =>
        job ? [{ text: `${job.name}: newest failure at ${job.completed_on.toISOString()}`, link: `jobs/${encodeURIComponent(job.name)}/${job.id}`, value: { kind: 'job_error' as const, value: job.output } }] : [],
      ),
    },
    {
      key: 'blocked',
      title: 'Blocked or stuck',
      count: expired.count + blockedWorkflows.length + backlogWithoutWorkers.length,
      countNote: expired.count >= expiredCap || blockedWorkflows.length >= expiredCap ? `expired jobs and blocked workflows capped at ${expiredCap} each` : null,
      diagnosis: describeBlocked(expired.count, blockedWorkflows.length, backlogWithoutWorkers.map((queue) => queue.name), workers !== null),
      ownership: backlogWithoutWorkers.length > 0 ? 'host-owned follow-up' : 'Powertools-native',
      posture: 'Inspection only',
      exemplars: [
        ...expired.jobs.map((job) => ({ text: `${job.name}: active since ${job.started_on.toISOString()}, expiry ${job.expire_seconds} s`, link: `jobs/${encodeURIComponent(job.name)}/${job.id}` })),
        ...blockedWorkflows.slice(0, exemplarCount).map((workflow) => ({ text: `workflow ${workflow.name} blocked since ${workflow.updated_at.toISOString()}`, link: `workflows/${workflow.id}` })),
        ...backlogWithoutWorkers.slice(0, exemplarCount).map((queue) => ({ text: `${queue.name}: ${queue.readyCount} ready, no worker registered`, link: `forensics/queue/${encodeURIComponent(queue.name)}` })),
      ],
    },
    {
      key: 'waiting',
      title: 'Waiting on purpose',
      count: pausedEntries.length + deferred,
      countNote: deferred > 0 ? `deferred jobs ${monitorNote}` : null,
      diagnosis: `${pausedEntries.length} paused cron entr${pausedEntries.length === 1 ? 'y skips its' : 'ies skip their'} slots until resumed; ${deferred} job(s) are deferred to a later start.`,
      ownership: 'Powertools-native',
      posture: 'Audited action',
      exemplars: pausedEntries.slice(0, exemplarCount).map((entry) => ({
        text: `${entry.name} paused at ${entry.paused_at!.toISOString()}`,
        link: `cron/${encodeURIComponent(entry.name)}`,
        value: { kind: 'actor_label' as const, value: entry.paused_by },
      })),
    },
    {
      key: 'recent',
      title: 'Ran in the last hour',
      count: completedTotal,
      countNote: completed.some((item) => item.count >= countCap) ? `capped at ${countCap} per queue` : null,
      diagnosis: completedTotal === 0 ? 'No job completed in the last hour.' : `${completedTotal} job(s) completed in the last hour across ${completed.filter((item) => item.count > 0).length} queue(s).`,
      ownership: 'Powertools-native',
      posture: 'Inspection only',
      exemplars: completed
        .filter((item) => item.count > 0)
        .sort((a, b) => b.count - a.count)
        .slice(0, exemplarCount)
        .map((item) => ({ text: `${item.queue}: ${item.count}${item.count >= countCap ? '+' : ''} completed`, link: `jobs?queue=${encodeURIComponent(item.queue)}&state=completed` })),
    },
    {
      key: 'operators',
      title: 'What operators did',
      count: recentEvents.length,
      countNote: 'the newest 5',
      diagnosis: recentEvents.length === 0 ? 'No operator has acted yet.' : `The newest operator action was ${recentEvents[0].action} on ${recentEvents[0].resource_id}.`,
      ownership: 'Powertools-native',
      posture: 'Inspection only',
      exemplars: [],
    },
  ];

  return { buckets, queues, recentEvents };
}

/**
 * Expired active jobs across queues: the oldest few, and a count capped at `expiredCap`. Every
 * queue is read, not only those whose monitor count shows active jobs, because a stopped
 * supervisor is exactly when those counts go stale.
 */
async function readExpiredActiveJobs(pool: Pool, queues: QueueResult[]): Promise<{ jobs: ExpiredActiveJob[]; count: number }> {
  const perQueue = await Promise.all(queues.map((queue) => listExpiredActiveJobs(pool, queue.name, expiredCap)));
  const all = perQueue.flat();
  return {
    jobs: all.sort((a, b) => a.started_on.getTime() - b.started_on.getTime()).slice(0, exemplarCount),
    count: Math.min(expiredCap, all.length),
  };
}

function describeBlocked(expired: number, blockedWorkflows: number, queuesWithoutWorkers: string[], workersKnown: boolean): string {
  const parts: string[] = [];
  if (expired > 0) parts.push(`${expired} active job(s) ran past their expiry: pg-boss's supervisor retries or fails them, so if they stay, it is not running`);
  if (blockedWorkflows > 0) parts.push(`${blockedWorkflows} workflow(s) are blocked: a step used up its retries, and each waits for an operator to retry the step or cancel the workflow`);
  if (queuesWithoutWorkers.length > 0) parts.push(`${queuesWithoutWorkers.length} queue(s) have ready jobs and no registered worker; starting one is a host-owned follow-up`);
  if (!workersKnown) parts.push("which queues have workers is unknown: pg-boss's instance registry is off");
  return parts.length === 0 ? 'Nothing is stuck: no active job is past its expiry, no workflow is blocked and every queue with ready jobs has a worker.' : `${parts.join('. ')}.`;
}

/** Queue names some registered pg-boss instance works, or null when the registry is off or empty. */
async function readWorkerQueues(boss: PgBoss): Promise<Set<string> | null> {
  // A pg-boss schema without the instance registry rejects the read; that means "unknown", not a failed page.
  const instances = await boss.getInstances().catch(() => []);
  if (instances.length === 0) return null;
  return new Set(instances.flatMap((instance) => instance.workers.map((worker) => worker.queue)));
}

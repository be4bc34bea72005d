import type { PgBoss, QueueResult } from 'pg-boss';

/** One bar pair of the throughput chart: completed and failed jobs in one hour. */
export interface HistoryBar {
  x: number;
  completedHeight: number;
  failedHeight: number;
  label: string;
}

export interface QueueHistory {
  queue: string;
  bars: HistoryBar[];
  completed: number;
  failed: number;
  /** False when pg-boss recorded no history: it records it only with persistQueueStats on. */
  available: boolean;
}

const hours = 24;
export const chartWidth = 240;
export const chartHeight = 40;

/**
 * Reads the last 24 hours of completed and failed jobs per hour for each queue from pg-boss's
 * own queue statistics, scaled to a small bar chart. Queues without recorded statistics are
 * returned with `available: false` and no bars.
 */
export async function readQueueHistory(boss: PgBoss, queues: QueueResult[], now = new Date()): Promise<QueueHistory[]> {
  const from = new Date(now.getTime() - hours * 3600 * 1000);
  return Promise.all(
    queues.map(async (queue) => {
      // Without persistQueueStats pg-boss has no series and may reject the query; the chart then says so.
      const stats = await boss.getQueueStats(queue.name, { from, to: now, bucketSeconds: 3600 }).catch(() => []);
      const points = stats.filter((point) => point.completedDelta !== null || point.failedDelta !== null);
      if (points.length === 0) return { queue: queue.name, bars: [], completed: 0, failed: 0, available: false };

      const peak = Math.max(1, ...points.map((point) => (point.completedDelta ?? 0) + (point.failedDelta ?? 0)));
      const barWidth = chartWidth / hours;
      const bars = points.map((point) => {
        const capturedOn = point.deltaOn ?? point.capturedOn;
        const slot = Math.min(hours - 1, Math.max(0, Math.floor((capturedOn.getTime() - from.getTime()) / 3600_000)));
        return {
          x: slot * barWidth,
          completedHeight: ((point.completedDelta ?? 0) / peak) * chartHeight,
          failedHeight: ((point.failedDelta ?? 0) / peak) * chartHeight,
          label: `${capturedOn.toISOString().slice(0, 13)}:00Z: ${point.completedDelta ?? 0} completed, ${point.failedDelta ?? 0} failed`,
        };
      });
      return {
        queue: queue.name,
        bars,
        completed: points.reduce((sum, point) => sum + (point.completedDelta ?? 0), 0),
        failed: points.reduce((sum, point) => sum + (point.failedDelta ?? 0), 0),
        available: true,
      };
    }),
  );
}

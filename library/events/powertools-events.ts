import { EventEmitter } from 'node:events';

import type { Logger } from '../seams';

/**
 * Every event the library emits, with its payload. Payloads carry ids and names, never job
 * data, reasons or other values the display policy governs.
 */
export interface PowertoolsEventMap {
  'action:performed': [{ action: string; resourceType: string; resourceId: string; actorId: string; auditEventId: string }];
  'action:refused': [{ action: string; resourceType: string; resourceId: string; actorId: string | null; why: string; status: number }];
  'cron:fired': [{ entry: string; slotAt: Date; queue: string; jobId: string }];
  'cron:fire_failed': [{ entry: string; slotAt: Date; error: unknown }];
  'cron:missed': [{ entry: string; slots: number; newest: Date }];
  'cron:retired': [{ entries: string[] }];
  'cron:synced': [{ declared: number; changed: number }];
  'scheduler:started': [{ intervalSeconds: number }];
  'scheduler:stopped': [Record<string, never>];
  'scheduler:tick_failed': [{ error: unknown }];
  'display:failed': [{ kind: string; page: string; error: unknown }];
  'request:failed': [{ errorId: string; method: string; path: string; error: unknown }];
}

export type PowertoolsEvents = EventEmitter<PowertoolsEventMap>;

export function makePowertoolsEvents(): PowertoolsEvents {
  return new EventEmitter<PowertoolsEventMap>();
}

/** Logs every event through the host's logger: outcomes at info, failures at error. */
export function subscribeLogger(events: PowertoolsEvents, logger: Logger): void {
  events.on('action:performed', (event) => logger.info({ event: 'action:performed', ...event }, `${event.action} performed on ${event.resourceType} ${event.resourceId}`));
  events.on('action:refused', (event) => logger.info({ event: 'action:refused', ...event }, `${event.action} refused: ${event.why}`));
  events.on('cron:fired', (event) => logger.info({ event: 'cron:fired', ...event }, `cron entry ${event.entry} fired`));
  events.on('cron:fire_failed', ({ error, ...event }) => logger.error({ event: 'cron:fire_failed', ...event, err: error }, `cron entry ${event.entry} failed to fire`));
  events.on('cron:missed', (event) => logger.warn({ event: 'cron:missed', ...event }, `cron entry ${event.entry} missed ${event.slots} slot(s) while no scheduler ran; only the newest fired`));
  events.on('cron:retired', (event) => logger.info({ event: 'cron:retired', ...event }, `retired ${event.entries.length} cron entr(ies) the host no longer declares`));
  events.on('cron:synced', (event) => logger.info({ event: 'cron:synced', ...event }, 'cron entries synchronised'));
  events.on('scheduler:started', (event) => logger.info({ event: 'scheduler:started', ...event }, 'cron scheduler started'));
  events.on('scheduler:stopped', () => logger.info({ event: 'scheduler:stopped' }, 'cron scheduler stopped'));
  events.on('scheduler:tick_failed', ({ error }) => logger.error({ event: 'scheduler:tick_failed', err: error }, 'cron scheduler tick failed; retrying next tick'));
  events.on('display:failed', ({ error, ...event }) => logger.warn({ event: 'display:failed', ...event, err: error }, 'display policy failed; value rendered as [redacted]'));
  events.on('request:failed', ({ error, ...event }) => logger.error({ event: 'request:failed', ...event, err: error }, `request failed with error id ${event.errorId}`));
}

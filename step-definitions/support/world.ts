import { setWorldConstructor, World, type IWorldOptions } from '@cucumber/cucumber';
import type { BrowserContext, Page } from 'playwright';
import type { Pool } from 'pg';

import type { LaneDeclaration, UpgradeLaneDeclaration } from '../../lanes/lane-declaration';
import type { HostRun } from './host-process';
import type { SourceHostInspection } from './inspect-source-host';
import type { DatabaseSnapshot, SnapshotComparison } from './database-snapshot';
import type { AppliedUpgradeAction } from './upgrade-actions';

/** A copy of the source host with its own database. */
export interface HostUnderTest {
  hostDirectory: string;
  databaseName: string;
  databaseUrl: string;
  pool: Pool;
  /** Every row before the scenario touched the database, when the scenario compares rows. */
  snapshotBefore: DatabaseSnapshot | null;
  appliedActions: AppliedUpgradeAction[];
  comparison: SnapshotComparison | null;
  run: HostRun | null;
}

/**
 * Per-scenario state. Nothing here outlives the scenario except what AfterAll collects. `Lane`
 * is the declaration type of the lane whose steps use the world.
 */
export class LaneWorld<Lane extends LaneDeclaration = UpgradeLaneDeclaration> extends World {
  lane!: Lane;
  scenarioName = '';
  /** File-safe name of the scenario, for its screenshots and trace. */
  scenarioSlug = '';
  host: HostUnderTest | null = null;
  /** True when `host` is the lane's shared upgraded host, which AfterAll disposes of. */
  sharedHost = false;
  /** The reason the scenario's operator gave, for the steps that check it was recorded. */
  reason = '';
  /** Audit events with a larger id were written during this scenario. */
  auditIdBefore = 0;
  inspection: SourceHostInspection | null = null;
  failedStart: HostRun | null = null;
  context: BrowserContext | null = null;
  page: Page | null = null;
  /** Server errors and console errors seen by the browser; the guard hook fails the scenario on any. */
  unexpectedErrors: string[] = [];
  /** Status and text of the last direct request a step sent. */
  lastResponse: { status: number; text: string } | null = null;
  proofFacts: Record<string, unknown> = {};

  constructor(options: IWorldOptions) {
    super(options);
  }
}

/** A world of any lane, for support code that does not read the lane's own declaration. */
export type AnyLaneWorld = LaneWorld<LaneDeclaration>;

setWorldConstructor(LaneWorld);

import { After, AfterAll, Before, setDefaultTimeout, Status } from '@cucumber/cucumber';

import { closeSession } from './control-plane-page';
import { logger, peekBrowser, peekPostgres, stopSharedResources, timings } from './lane-resources';
import { maskSecrets } from './mask-secrets';
import { claimStatusOf, proofDirectoryOf, recordClaim, writeEvidence } from './proof-bundle';
import { disposeHost, disposeSharedHosts } from './upgraded-host';
import type { LaneWorld } from './world';

// Provisioning Postgres and a cold host boot under ts-node take seconds on a 2-core machine.
setDefaultTimeout(90_000);

Before(function (this: LaneWorld, { pickle, gherkinDocument }) {
  const line = pickle.location?.line ?? 0;
  const feature = gherkinDocument.uri?.split('/').pop()?.replace('.feature', '') ?? 'feature';
  this.scenarioName = pickle.name;
  this.scenarioSlug = `${feature}-${line}-${pickle.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 60)}`.replace(/-+$/, '');
});

/**
 * Guard, evidence and cleanup for every scenario. A scenario whose browser saw a 5xx or a
 * console error fails even when its own assertions passed. A failed scenario gets the host's
 * output attached, with secrets masked.
 */
After(async function (this: LaneWorld, { result }) {
  const unexpected = this.unexpectedErrors;
  const passed = result?.status === Status.PASSED && unexpected.length === 0;
  const proofDirectory = this.lane ? proofDirectoryOf(this.lane.name) : null;

  if (proofDirectory) await closeSession(this, proofDirectory, this.scenarioSlug);
  if (!passed) {
    const output = this.host?.run?.output ?? this.failedStart?.output ?? [];
    if (output.length > 0) this.attach(maskSecrets(output.slice(-80).join('\n')), 'text/plain');
  }
  if (this.lane) {
    recordClaim(this.lane.name, { scenario: this.scenarioName, status: claimStatusOf(result?.status, unexpected.length), facts: this.proofFacts });
  }
  if (this.host && !this.sharedHost) await disposeHost(this.host);

  if (unexpected.length > 0) {
    throw new Error(`The browser saw unexpected errors during this scenario:\n${unexpected.map(maskSecrets).join('\n')}`);
  }
});

AfterAll(async function () {
  // Postgres and the browser stop even when writing evidence fails: a server left running
  // keeps cucumber's process alive after it reported the failure.
  try {
    await disposeSharedHosts();
    const postgres = await peekPostgres();
    // A browser that failed to launch has no version; the scenario that needed it already failed.
    const browserVersion = (await peekBrowser()?.then((browser) => browser.version(), () => null)) ?? null;
    const written = writeEvidence(postgres, browserVersion, timings);
    logger.info({ event: 'lane:evidence_written', files: written }, 'proof evidence written');
  } finally {
    await stopSharedResources();
  }
});

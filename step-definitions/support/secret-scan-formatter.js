// Cucumber-js formatter that fails the run when a secret leaked into the run's messages or into
// proof/<lane>/ (proof/<lane>--<variant>/ when KJP_PROOF_VARIANT is set). Use it in a profile:
//   format: ['./step-definitions/support/secret-scan-formatter.js:proof/upgrade-proof/secret-scan.log'],
//   formatOptions: { lane: 'upgrade-proof' },
// Plain CommonJS, so cucumber-js can import it whether or not a TypeScript loader is active.
'use strict';

const { Formatter } = require('@cucumber/cucumber');

// cucumber-js loads formatters after `requireModule`, so ts-node is usually registered by then.
// This covers a profile that loads its TypeScript support code some other way.
if (!('.ts' in require.extensions)) {
  require('ts-node').register({ transpileOnly: true });
}

const { describeFindings, resolveLane, runSecretScan, summarizeReport } = require('./secret-scan-report.ts');
const { proofDirectoryNameOf } = require('./proof-bundle.ts');

class SecretScanFormatter extends Formatter {
  static documentation = 'Fails the run when a secret appears in the messages or in proof/<lane>/';

  constructor(options) {
    super(options);
    this.envelopes = [];
    // The scan covers proof/<lane>--<variant>/ when KJP_PROOF_VARIANT is set, like proof-bundle.ts.
    this.lane = proofDirectoryNameOf(resolveLane(options.env, options.parsedArgvOptions), options.env);
    this.workingDirectory = options.cwd;
    // A file target of this formatter may sit inside proof/<lane>/ and is still open.
    this.ownOutputPath = typeof options.stream.path === 'string' ? options.stream.path : undefined;

    options.eventBroadcaster.on('envelope', (envelope) => this.envelopes.push(envelope));
  }

  // cucumber-js awaits this after the run. A rejection reaches the CLI, which prints the
  // message and exits with code 1 even when every scenario passed.
  async finished() {
    let report;
    try {
      report = await runSecretScan({
        cwd: this.workingDirectory,
        lane: this.lane,
        envelopes: this.envelopes,
        excludePaths: this.ownOutputPath ? [this.ownOutputPath] : [],
      });
      this.log(summarizeReport(report));
    } finally {
      await super.finished();
    }

    if (report.findings.length > 0) {
      throw new Error(describeFindings(report));
    }
  }
}

module.exports = SecretScanFormatter;
module.exports.default = SecretScanFormatter;

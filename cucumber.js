// Profiles: one per lane, plus `default` for every lane at once. Each lane profile writes its
// report and message stream into its proof bundle. The secret-scan formatter fails the run if
// any artifact or message contains a secret.
const common = {
  requireModule: ['ts-node/register/transpile-only'],
  require: ['step-definitions/**/*.ts'],
};

function laneProfile(lane) {
  return {
    ...common,
    paths: [`features/${lane}.feature`],
    format: [
      'progress',
      `html:proof/${lane}/report.html`,
      `message:proof/${lane}/messages.ndjson`,
      `./step-definitions/support/secret-scan-formatter.js:proof/${lane}/secret-scan.log`,
    ],
    formatOptions: { lane },
  };
}

module.exports = {
  default: {
    ...common,
    paths: ['features/**/*.feature'],
    format: ['progress', 'html:proof/all-lanes/report.html', 'message:proof/all-lanes/messages.ndjson', './step-definitions/support/secret-scan-formatter.js:proof/all-lanes/secret-scan.log'],
    formatOptions: { lane: 'all-lanes' },
  },
  'upgrade-proof': laneProfile('upgrade-proof'),
};

// Profiles: one per lane, plus `default` for every lane at once. Each lane profile writes its
// report and message stream into its proof bundle. The secret-scan formatter fails the run if
// any artifact or message contains a secret.
const common = {
  requireModule: ['ts-node/register/transpile-only'],
  require: ['step-definitions/**/*.ts'],
};

// KJP_PROOF_VARIANT (for example `testcontainers-pg15`) names a run on another Postgres provider
// or version. Its bundle goes to proof/<lane>--<variant>/, so it never overwrites proof/<lane>/.
// proofDirectoryNameOf in step-definitions/support/proof-bundle.ts applies the same rule.
function proofDirectory(lane) {
  const variant = process.env.KJP_PROOF_VARIANT;
  if (!variant) return `proof/${lane}`;

  if (!/^[a-z0-9][a-z0-9-]*$/.test(variant)) {
    throw new TypeError(`KJP_PROOF_VARIANT is invalid: expected lower-case letters, digits and dashes, got "${variant}".`);
  }
  return `proof/${lane}--${variant}`;
}

function laneProfile(lane) {
  const directory = proofDirectory(lane);
  return {
    ...common,
    paths: [`features/${lane}.feature`],
    format: [
      'progress',
      `html:${directory}/report.html`,
      `message:${directory}/messages.ndjson`,
      `./step-definitions/support/secret-scan-formatter.js:${directory}/secret-scan.log`,
    ],
    formatOptions: { lane },
  };
}

module.exports = {
  // Every lane but docs-markers, which reads the proof bundles the others write only when their
  // run ends; it runs after them as its own profile.
  default: {
    ...common,
    paths: require('node:fs')
      .readdirSync(require('node:path').join(__dirname, 'features'))
      .filter((file) => file.endsWith('.feature') && file !== 'docs-markers.feature')
      .map((file) => `features/${file}`),
    format: [
      'progress',
      `html:${proofDirectory('all-lanes')}/report.html`,
      `message:${proofDirectory('all-lanes')}/messages.ndjson`,
      `./step-definitions/support/secret-scan-formatter.js:${proofDirectory('all-lanes')}/secret-scan.log`,
    ],
    formatOptions: { lane: 'all-lanes' },
  },
  'upgrade-proof': laneProfile('upgrade-proof'),
  'fresh-install': laneProfile('fresh-install'),
  'first-session': laneProfile('first-session'),
  'native-first': laneProfile('native-first'),
  doctor: laneProfile('doctor'),
  'historical-compatibility': laneProfile('historical-compatibility'),
  bridge: laneProfile('bridge'),
  // Last, because it reads the proof bundles the other lanes leave.
  'docs-markers': laneProfile('docs-markers'),
};

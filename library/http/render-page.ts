import path from 'node:path';

import nunjucks from 'nunjucks';

// The label strings below are the project's shared vocabulary: pages, docs and features use
// each one with this exact spelling and meaning. Templates read them as globals of the same names.

export const ownershipLabels = {
  native: 'Powertools-native',
  bridge: 'pg-boss dashboard bridge',
  host: 'host-owned follow-up',
} as const;

export const postures = {
  audited: 'Audited action',
  inspection: 'Inspection only',
} as const;

export const evidenceLabels = {
  partial: 'partial evidence',
  unavailable: 'history unavailable',
  unknown: 'unknown',
} as const;

/**
 * Makes the template environment. Autoescaping is on for every template, so a value reaches
 * the page as text unless a template marks it safe, and no template does.
 */
export function makeTemplateEnvironment(): nunjucks.Environment {
  const loader = new nunjucks.FileSystemLoader(path.join(__dirname, '..', 'views'), { noCache: false });
  const environment = new nunjucks.Environment(loader, { autoescape: true, throwOnUndefined: false });
  environment.addGlobal('ownershipLabels', ownershipLabels);
  environment.addGlobal('postures', postures);
  environment.addGlobal('evidenceLabels', evidenceLabels);
  environment.addFilter('isoTime', (value: Date | null | undefined) => (value ? value.toISOString().replace('.000Z', 'Z') : ''));
  return environment;
}

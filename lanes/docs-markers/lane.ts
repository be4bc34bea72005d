import type { DocsMarkersLaneDeclaration } from '../lane-declaration';

/**
 * The lane that proves the docs and the proofs agree. The guides list each lane's steps as the
 * lane declares them, and every lane the docs name has a profile, a feature file and a passing
 * proof bundle. The support-truth vocabulary is spelled one way, snippets type-check and links
 * resolve.
 */
export const docsMarkersLane: DocsMarkersLaneDeclaration = {
  kind: 'docs-markers',
  name: 'docs-markers',
  bucket: 'tested',
  documents: {
    readme: 'README.md',
    guides: 'guides',
    features: 'features',
    // The templates, and the library code that writes labels into them.
    pages: ['library/views', 'library/http', 'library/overview', 'library/forensics', 'library/workflows', 'library/bridge', 'lanes/support-truth/write-support-truth.ts'],
  },
  vocabulary: [
    { term: 'supported', group: 'bucket', exactCase: false, variants: [] },
    { term: 'tested', group: 'bucket', exactCase: false, variants: [] },
    { term: 'best-effort', group: 'bucket', exactCase: false, variants: [] },
    { term: 'host-owned', group: 'bucket', exactCase: false, variants: [] },
    { term: 'intentionally unsupported', group: 'bucket', exactCase: false, variants: ['intentionally not supported', 'deliberately unsupported'] },
    { term: 'Powertools-native', group: 'ownership label', exactCase: true, variants: ['Powertools-owned'] },
    { term: 'pg-boss dashboard bridge', group: 'ownership label', exactCase: false, variants: [] },
    { term: 'host-owned follow-up', group: 'ownership label', exactCase: false, variants: ['host-owned followup'] },
    { term: 'Audited action', group: 'posture', exactCase: false, variants: [] },
    { term: 'Inspection only', group: 'posture', exactCase: false, variants: ['read-only inspection'] },
    { term: 'partial evidence', group: 'evidence label', exactCase: false, variants: ['incomplete evidence'] },
    { term: 'history unavailable', group: 'evidence label', exactCase: false, variants: ['history not available', 'no history available'] },
    { term: 'unknown', group: 'evidence label', exactCase: false, variants: [] },
  ],
  labelModule: { file: 'library/http/render-page.ts', exports: ['ownershipLabels', 'postures', 'evidenceLabels'] },
  snippetContext: 'lanes/docs-markers/snippet-context.d.ts',
  snippetLanguages: ['ts', 'typescript'],
};

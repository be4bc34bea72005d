import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import type { VocabularyTerm } from '../../../lanes/lane-declaration';
import type { CheckResult, Disagreement } from './disagreement';
import { lineAt, parseMarkdown, plainText } from './markdown-document';

interface VocabularyInput {
  root: string;
  vocabulary: readonly VocabularyTerm[];
  /** The module that exports the pages' labels, relative to the root. */
  labelModule: { file: string; exports: string[] };
  /** The README and the guides: Markdown, read outside fenced blocks. */
  documents: string[];
  /** Feature files, read whole. */
  features: string[];
  /** Page templates and the library sources that write page text, read whole. */
  pages: string[];
}

/**
 * Checks that the support-truth vocabulary is spelled one way in the README, guides, features and pages:
 * no other spacing, hyphenation, letter case or listed synonym of a term. Each label a page
 * shows (not the buckets, which only docs use) appears in the pages and in the docs, and each
 * table whose first column is `bucket` lists only buckets, each once, in their declared order.
 */
export function checkVocabulary(input: VocabularyInput): CheckResult {
  const disagreements: Disagreement[] = [];
  let checked = 0;
  const found = new Map<string, { docs: boolean; pages: boolean }>(input.vocabulary.map((term) => [term.term, { docs: false, pages: false }]));

  for (const file of [...input.documents, ...input.features, ...input.pages]) {
    if (!existsSync(path.join(input.root, file))) continue;
    const isMarkdown = input.documents.includes(file);
    const text = readScannedText(input.root, file, isMarkdown);
    const isPage = input.pages.includes(file);
    // Inline code in the docs quotes identifiers (a CSS class, a status token), not the vocabulary.
    const codeSpans = isMarkdown ? [...text.matchAll(/`[^`\n]+`/g)].map((span) => [span.index, span.index + span[0].length]) : [];

    for (const term of input.vocabulary) {
      for (const use of findUses(text, term)) {
        checked += 1;
        if (use.problem && codeSpans.some(([start, end]) => use.offset >= start && use.offset < end)) continue;
        if (use.problem) {
          disagreements.push({ file, line: lineAt(text, use.offset), message: use.problem });
        } else {
          found.get(term.term)![isPage ? 'pages' : 'docs'] = true;
        }
      }
    }
  }

  for (const term of input.vocabulary) {
    if (term.group === 'bucket') continue;
    const where = found.get(term.term)!;
    if (!where.pages) disagreements.push({ file: input.pages[0] ?? 'library/views', line: null, message: `no page shows the ${term.group} "${term.term}"; a page that renamed it must use the vocabulary's spelling.` });
    if (!where.docs) disagreements.push({ file: input.documents[0] ?? 'README.md', line: null, message: `neither the README nor a guide uses the ${term.group} "${term.term}", which the pages show.` });
  }

  disagreements.push(...checkBucketTables(input));
  disagreements.push(...checkLabelModule(input));
  disagreements.push(...checkLabelAttributes(input));
  return { checked, disagreements };
}

/**
 * Checks that the labels the pages take from the label module are exactly the vocabulary's
 * labels: a typo there would reach every page while the docs stay right.
 */
function checkLabelModule(input: VocabularyInput): Disagreement[] {
  const file = input.labelModule.file;
  const absolute = path.join(input.root, file);
  if (!existsSync(absolute)) return [{ file, line: null, message: 'is missing; it exports the labels every page shows.' }];

  delete require.cache[require.resolve(absolute)];
  const exported = require(absolute) as Record<string, unknown>;
  const labels = input.labelModule.exports.flatMap((name) => Object.values((exported[name] ?? {}) as Record<string, unknown>).filter((value): value is string => typeof value === 'string'));
  const terms = input.vocabulary.filter((term) => term.group !== 'bucket').map((term) => term.term);
  const text = readFileSync(absolute, 'utf8');

  return [
    ...labels
      .filter((label) => !terms.includes(label))
      .map((label) => ({ file, line: lineAt(text, Math.max(text.indexOf(label), 0)), message: `exports the page label "${label}", which is not a term of the support-truth vocabulary (${terms.join(', ')}).` })),
    ...terms
      .filter((term) => !labels.includes(term))
      .map((term) => ({ file, line: null, message: `exports no page label "${term}"; the pages need every label of the vocabulary from ${input.labelModule.exports.join(', ')}.` })),
  ];
}

/** Checks that a label written literally in a `data-ownership`, `data-posture` or `data-evidence` attribute is a term of the vocabulary. */
function checkLabelAttributes(input: VocabularyInput): Disagreement[] {
  const terms = input.vocabulary.filter((term) => term.group !== 'bucket').map((term) => term.term);
  const disagreements: Disagreement[] = [];

  for (const file of input.pages) {
    if (!existsSync(path.join(input.root, file))) continue;
    const text = readFileSync(path.join(input.root, file), 'utf8');
    for (const match of text.matchAll(/data-(?:ownership|posture|evidence)="([^"{]+)"/g)) {
      if (!terms.includes(match[1])) {
        disagreements.push({ file, line: lineAt(text, match.index), message: `labels an element "${match[1]}", which is not a term of the support-truth vocabulary (${terms.join(', ')}).` });
      }
    }
  }
  return disagreements;
}

/** Markdown loses its fenced blocks (replaced by blank lines, so line numbers hold); other files are read whole. */
function readScannedText(root: string, file: string, isMarkdown: boolean): string {
  const text = readFileSync(path.join(root, file), 'utf8');
  if (!isMarkdown) return text;

  const document = parseMarkdown(file, text);
  return document.lines.map((line, index) => (document.inFence[index] ? '' : line)).join('\n');
}

interface TermUse {
  offset: number;
  /** The reason this use is not the vocabulary's spelling, or null when it is. */
  problem: string | null;
}

function findUses(text: string, term: VocabularyTerm): TermUse[] {
  const uses: TermUse[] = [];

  for (const match of text.matchAll(spellingPattern(term.term))) {
    const written = match[0].replace(/[\s\u00a0]+/g, ' ');
    uses.push({ offset: match.index, problem: isAccepted(written, term) ? null : `"${written}" should be spelled "${term.term}", the ${term.group} of the support-truth vocabulary.` });
  }
  for (const variant of term.variants) {
    for (const match of text.matchAll(spellingPattern(variant))) {
      uses.push({ offset: match.index, problem: `"${match[0].replace(/\s+/g, ' ')}" stands for the ${term.group} "${term.term}"; use the vocabulary's words.` });
    }
  }
  return uses;
}

/**
 * Matches a phrase with any spacing or hyphens between its words, in any case, as a whole
 * phrase: `best-effort` matches "best effort", "Best-Effort" and "best\neffort". Words run
 * together do not match, so code identifiers such as `hostOwned` are left alone.
 */
function spellingPattern(phrase: string): RegExp {
  const words = phrase.split(/[\s-]+/).map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  // Spaces and hyphens include their Unicode forms (no-break space, non-breaking hyphen, dashes).
  const separator = '[\\s\\u00a0\\u2010-\\u2015-]';
  return new RegExp(`(?<![\\w\\u2010-\\u2015-])${words.join(`${separator}+`)}(?![\\w\\u2010-\\u2015-])`, 'gi');
}

function isAccepted(written: string, term: VocabularyTerm): boolean {
  if (written === term.term) return true;
  if (term.exactCase) return false;

  // A term may start a sentence or a table cell with a capital letter, and nothing else may differ.
  const flipped = term.term[0] === term.term[0].toUpperCase() ? term.term[0].toLowerCase() : term.term[0].toUpperCase();
  return written === flipped + term.term.slice(1);
}

function checkBucketTables(input: VocabularyInput): Disagreement[] {
  const buckets = input.vocabulary.filter((term) => term.group === 'bucket').map((term) => term.term);
  const disagreements: Disagreement[] = [];

  for (const file of input.documents) {
    if (!existsSync(path.join(input.root, file))) continue;
    const document = parseMarkdown(file, readFileSync(path.join(input.root, file), 'utf8'));
    for (const table of document.tables) {
      if (plainText(table.header[0] ?? '').toLowerCase() !== 'bucket') continue;
      const listed = table.rows.map((row) => plainText(row.cells[0] ?? ''));
      const positions = listed.map((bucket) => buckets.indexOf(bucket));
      const unknownBucket = listed.find((bucket) => !buckets.includes(bucket));
      if (unknownBucket !== undefined) {
        disagreements.push({ file, line: table.line, message: `the support-truth table has the row "${unknownBucket}", which is not a bucket; the buckets are ${buckets.join(', ')}.` });
      } else if (positions.some((position, index) => index > 0 && position <= positions[index - 1])) {
        disagreements.push({ file, line: table.line, message: `the support-truth table lists the buckets ${listed.join(', ')}; list each once, in the order ${buckets.join(', ')}.` });
      }
    }
  }
  return disagreements;
}

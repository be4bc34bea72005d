import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The parts of a Markdown file that docs-markers compares with the lanes: headings with their
 * GitHub anchors, fenced blocks, links, tables and numbered lists. Line numbers are 1-based.
 * It reads the CommonMark that this repository writes (ATX headings, backtick or tilde fences,
 * pipe tables), not every dialect.
 */

export interface MarkdownHeading {
  level: number;
  /** The heading as it reads, without `#` marks, backticks or link syntax. */
  text: string;
  /** The anchor GitHub gives the heading, without `#`. */
  slug: string;
  line: number;
}

export interface FencedBlock {
  language: string;
  code: string;
  /** The line of the opening fence; the code starts on the next line. */
  line: number;
}

export interface MarkdownLink {
  target: string;
  line: number;
}

/** A reference-style link, `[text][label]` or `[label][]`, which needs a `[label]: target` definition. */
export interface MarkdownReference {
  label: string;
  line: number;
}

export interface MarkdownTable {
  header: string[];
  rows: Array<{ cells: string[]; line: number }>;
  line: number;
}

export interface MarkdownListItem {
  /** The item's text with its continuation lines joined by spaces. */
  text: string;
  line: number;
}

export interface MarkdownDocument {
  /** Relative to the repository root, with forward slashes. */
  file: string;
  text: string;
  lines: string[];
  headings: MarkdownHeading[];
  fences: FencedBlock[];
  /** True for each line (index 0 is line 1) that sits inside a fenced block or is its fence. */
  inFence: boolean[];
  links: MarkdownLink[];
  /** Reference-style links. `definitions` contains the labels the file defines, lower-cased as Markdown matches them. */
  references: MarkdownReference[];
  definitions: Set<string>;
  tables: MarkdownTable[];
}

export function readMarkdown(root: string, file: string): MarkdownDocument {
  return parseMarkdown(file, readFileSync(path.join(root, file), 'utf8'));
}

export function parseMarkdown(file: string, text: string): MarkdownDocument {
  const lines = text.split(/\r?\n/);
  const { fences, inFence } = findFences(lines);

  return {
    file,
    text,
    lines,
    headings: findHeadings(lines, inFence),
    fences,
    inFence,
    links: findLinks(lines, inFence),
    ...findReferences(lines, inFence),
    tables: findTables(lines, inFence),
  };
}

function findFences(lines: string[]): { fences: FencedBlock[]; inFence: boolean[] } {
  const fences: FencedBlock[] = [];
  const inFence = lines.map(() => false);
  let open: { marker: string; language: string; line: number; code: string[] } | null = null;

  lines.forEach((line, index) => {
    const fence = /^\s{0,3}(`{3,}|~{3,})\s*([\w+-]*)/.exec(line);
    if (open) {
      inFence[index] = true;
      if (fence && fence[1][0] === open.marker[0] && fence[1].length >= open.marker.length && line.trim() === fence[1]) {
        fences.push({ language: open.language, code: open.code.join('\n'), line: open.line });
        open = null;
      } else {
        open.code.push(line);
      }
      return;
    }
    if (fence) {
      inFence[index] = true;
      open = { marker: fence[1], language: fence[2].toLowerCase(), line: index + 1, code: [] };
    }
  });
  return { fences, inFence };
}

function findHeadings(lines: string[], inFence: boolean[]): MarkdownHeading[] {
  const headings: MarkdownHeading[] = [];
  const slugCounts = new Map<string, number>();

  lines.forEach((line, index) => {
    if (inFence[index]) return;
    const match = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (!match) return;

    const text = plainText(match[2]);
    const base = slugOf(text);
    const seen = slugCounts.get(base) ?? 0;
    slugCounts.set(base, seen + 1);
    headings.push({ level: match[1].length, text, slug: seen === 0 ? base : `${base}-${seen}`, line: index + 1 });
  });
  return headings;
}

/** Strips inline Markdown (code spans, links, emphasis) and returns the rendered words. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/(\*\*|__|\*)(.+?)\1/g, '$2')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Returns the anchor GitHub renders for a heading: lower case, every character that is not a letter,
 * digit, mark, connector, hyphen or space removed, spaces turned into hyphens.
 */
export function slugOf(headingText: string): string {
  return headingText
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

function findLinks(lines: string[], inFence: boolean[]): MarkdownLink[] {
  const links: MarkdownLink[] = [];

  lines.forEach((line, index) => {
    if (inFence[index]) return;
    const prose = line.replace(/`[^`]*`/g, '');
    for (const match of prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/g)) {
      links.push({ target: match[1], line: index + 1 });
    }
    const definition = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/.exec(prose);
    if (definition) links.push({ target: definition[1], line: index + 1 });
    for (const match of prose.matchAll(/\b(?:href|src)="([^"]+)"/g)) {
      links.push({ target: match[1], line: index + 1 });
    }
  });
  return links;
}

function findReferences(lines: string[], inFence: boolean[]): { references: MarkdownReference[]; definitions: Set<string> } {
  const references: MarkdownReference[] = [];
  const definitions = new Set<string>();

  lines.forEach((line, index) => {
    if (inFence[index]) return;
    const prose = line.replace(/`[^`]*`/g, '');
    const definition = /^\s{0,3}\[([^\]]+)\]:/.exec(prose);
    if (definition) {
      definitions.add(normaliseLabel(definition[1]));
      return;
    }
    for (const match of prose.matchAll(/\[([^\]]+)\]\[([^\]]*)\]/g)) {
      references.push({ label: normaliseLabel(match[2] || match[1]), line: index + 1 });
    }
  });
  return { references, definitions };
}

/** Markdown matches reference labels case-insensitively, with runs of spaces as one. */
function normaliseLabel(label: string): string {
  return label.trim().replace(/\s+/g, ' ').toLowerCase();
}

function findTables(lines: string[], inFence: boolean[]): MarkdownTable[] {
  const tables: MarkdownTable[] = [];

  for (let index = 0; index + 1 < lines.length; index += 1) {
    if (inFence[index] || !isTableRow(lines[index]) || !/^\s*\|?\s*:?-{3,}/.test(lines[index + 1])) continue;

    const table: MarkdownTable = { header: splitRow(lines[index]), rows: [], line: index + 1 };
    let row = index + 2;
    while (row < lines.length && !inFence[row] && isTableRow(lines[row])) {
      table.rows.push({ cells: splitRow(lines[row]), line: row + 1 });
      row += 1;
    }
    tables.push(table);
    index = row - 1;
  }
  return tables;
}

function isTableRow(line: string): boolean {
  return /^\s*\|.*\|\s*$/.test(line);
}

function splitRow(line: string): string[] {
  return line
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());
}

/**
 * Finds the first numbered list after a heading and before the next heading, or null when that
 * section has none. An item's indented continuation lines belong to it.
 */
export function findNumberedListAfter(document: MarkdownDocument, heading: MarkdownHeading): MarkdownListItem[] | null {
  const next = document.headings.find((candidate) => candidate.line > heading.line);
  const end = next ? next.line - 1 : document.lines.length;
  const items: MarkdownListItem[] = [];

  for (let index = heading.line; index < end; index += 1) {
    if (document.inFence[index]) continue;
    const line = document.lines[index];
    const item = /^\s{0,3}\d+[.)]\s+(.*)$/.exec(line);
    if (item) {
      items.push({ text: item[1].trim(), line: index + 1 });
      continue;
    }
    if (items.length === 0) continue;
    if (/^\s{2,}\S/.test(line) && document.lines[index - 1].trim() !== '') {
      items[items.length - 1].text += ` ${line.trim()}`;
      continue;
    }
    if (line.trim() === '' && /^\s{0,3}\d+[.)]\s/.test(document.lines[index + 1] ?? '')) continue;
    break;
  }
  return items.length > 0 ? items : null;
}

/** Returns the 1-based line of a character offset in `text`. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let index = 0; index < offset && index < text.length; index += 1) {
    if (text.charCodeAt(index) === 10) line += 1;
  }
  return line;
}

import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

import type { CheckResult, Disagreement } from './disagreement';
import { type MarkdownDocument, readMarkdown } from './markdown-document';

/**
 * Checks that every relative link in the README and the guides reaches a file or folder of the
 * repository, and that every `#anchor` into a Markdown file matches one of its headings. Links
 * with a scheme (`https:`, `mailto:`) are not followed.
 */
export function checkLinks(root: string, documents: string[]): CheckResult {
  const parsed = new Map<string, MarkdownDocument>();
  const read = (file: string): MarkdownDocument => {
    if (!parsed.has(file)) parsed.set(file, readMarkdown(root, file));
    return parsed.get(file)!;
  };
  const disagreements: Disagreement[] = [];
  let checked = 0;

  for (const file of documents) {
    if (!existsSync(path.join(root, file))) continue;
    for (const link of read(file).links) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(link.target) || link.target.startsWith('//')) continue;
      checked += 1;

      const [rawPath, anchor] = splitTarget(link.target);
      const targetFile = rawPath === '' ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), rawPath));
      const absolute = path.join(root, targetFile);
      if (targetFile.startsWith('..') || !existsSync(absolute)) {
        disagreements.push({ file, line: link.line, message: `links to ${link.target}, but ${targetFile} does not exist.` });
        continue;
      }
      if (anchor === null) continue;

      if (statSync(absolute).isDirectory()) {
        disagreements.push({ file, line: link.line, message: `links to ${link.target}, but ${targetFile} is a folder, which has no anchors.` });
        continue;
      }
      if (!targetFile.endsWith('.md')) {
        // GitHub anchors a line of a source file as #L12 or a range as #L12-L20.
        const lines = /^L(\d+)(?:-L(\d+))?$/.exec(anchor);
        const lineCount = readFileSync(absolute, 'utf8').split('\n').length;
        if (!lines || Number(lines[2] ?? lines[1]) > lineCount || Number(lines[1]) < 1) {
          disagreements.push({ file, line: link.line, message: `links to ${link.target}, but ${targetFile} is not Markdown, so its only anchors are lines #L1 to #L${lineCount}.` });
        }
        continue;
      }
      const headings = read(targetFile).headings;
      if (!headings.some((heading) => heading.slug === anchor)) {
        disagreements.push({ file, line: link.line, message: `links to ${link.target}, but ${targetFile} has no heading with the anchor #${anchor}; its anchors are ${headings.map((heading) => `#${heading.slug}`).join(', ')}.` });
      }
    }
  }
  for (const file of documents) {
    if (!existsSync(path.join(root, file))) continue;
    const document = read(file);
    for (const reference of document.references) {
      checked += 1;
      if (!document.definitions.has(reference.label)) {
        disagreements.push({ file, line: reference.line, message: `uses the link reference [${reference.label}], which no "[${reference.label}]: target" line in the file defines.` });
      }
    }
  }
  return { checked, disagreements };
}

function splitTarget(target: string): [string, string | null] {
  const hash = target.indexOf('#');
  const rawPath = decodeURIComponent(hash === -1 ? target : target.slice(0, hash));
  return [rawPath, hash === -1 ? null : decodeURIComponent(target.slice(hash + 1))];
}

import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

import type { DocsMarkersLaneDeclaration } from '../../../lanes/lane-declaration';

/** The files docs-markers reads, relative to the repository root, with forward slashes. */
export interface DocumentationFiles {
  readme: string;
  guides: string[];
  features: string[];
  pages: string[];
}

export function listDocumentationFiles(root: string, lane: DocsMarkersLaneDeclaration): DocumentationFiles {
  return {
    readme: lane.documents.readme,
    guides: listFiles(root, lane.documents.guides, '.md'),
    features: listFiles(root, lane.documents.features, '.feature'),
    pages: lane.documents.pages.flatMap((entry) => listFiles(root, entry, null)),
  };
}

/** Lists a file as given, or every file under a folder whose name ends in `extension` (any file when null). */
function listFiles(root: string, entry: string, extension: string | null): string[] {
  const absolute = path.join(root, entry);
  if (!existsSync(absolute)) return [];
  if (!statSync(absolute).isDirectory()) return [entry];

  return readdirSync(absolute, { recursive: true, encoding: 'utf8' })
    .filter((file) => (extension === null ? !statSync(path.join(absolute, file)).isDirectory() : file.endsWith(extension)))
    .map((file) => path.posix.join(entry, file.split(path.sep).join('/')))
    .sort();
}

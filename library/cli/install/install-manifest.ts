import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** The manifest file's name inside the seams folder. */
export const manifestName = 'install-manifest.json';

/**
 * The record of what the installer last wrote: the sha256 of each generated file. A file whose content no
 * longer matches its hash was changed by the host and is never overwritten.
 */
export interface InstallManifest {
  files: Record<string, string>;
}

export function hashContent(content: string): string {
  return `sha256:${createHash('sha256').update(content).digest('hex')}`;
}

/** Reads the manifest, or returns an empty one when the file does not exist. Throws when it is not valid JSON. */
export function readInstallManifest(file: string): InstallManifest {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { files: {} };
    throw error;
  }

  const parsed = JSON.parse(text) as Partial<InstallManifest>;
  if (!parsed || typeof parsed.files !== 'object' || parsed.files === null) {
    throw new Error(`${file} is not a jobs-powertools install manifest: expected {"files": {...}}. Restore it from version control, or delete it to treat every generated file as host-changed.`);
  }
  return { files: { ...parsed.files } };
}

export function formatInstallManifest(manifest: InstallManifest): string {
  const files = Object.fromEntries(Object.entries(manifest.files).sort(([a], [b]) => a.localeCompare(b)));
  return `${JSON.stringify({ about: 'Written by jobs-powertools install: the sha256 of each file as the installer wrote it. A file that no longer matches is host-changed and never overwritten.', files }, null, 2)}\n`;
}

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Hashes every file in a host folder with sha256, by path relative to it, without node_modules:
 * two equal results mean no file was added, removed or changed.
 */
export function hashHostFiles(hostDirectory: string): Record<string, string> {
  const hashes: Record<string, string> = {};
  const walk = (directory: string): void => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const file = path.join(directory, entry.name);
      // node_modules contains a link to this checkout, and no symlink is followed.
      if (entry.name === 'node_modules' || entry.isSymbolicLink()) continue;
      if (entry.isDirectory()) walk(file);
      else if (entry.isFile()) hashes[path.relative(hostDirectory, file)] = createHash('sha256').update(readFileSync(file)).digest('hex');
    }
  };
  walk(hostDirectory);
  return Object.fromEntries(Object.entries(hashes).sort(([a], [b]) => a.localeCompare(b)));
}

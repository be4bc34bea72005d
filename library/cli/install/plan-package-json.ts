import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Reads the version ranges of the dependencies the installer adds, as this library release was built against them. */
export function readDependencyRanges(): { library: string; pgBoss: string; dashboard: string } {
  const own = JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
    version: string;
    dependencies: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  return { library: `^${own.version}`, pgBoss: own.dependencies['pg-boss'], dashboard: own.devDependencies?.['@pg-boss/dashboard'] ?? 'latest' };
}

/**
 * Adds missing runtime dependencies to a host's package.json text and returns the new text with
 * the names it added. Dependencies the host already lists keep their version, in `dependencies`
 * or `devDependencies`. Keeps the file's indentation and sorts `dependencies` by name as npm does.
 */
export function addDependencies(text: string, wanted: Record<string, string>): { text: string; added: string[] } {
  const manifest = JSON.parse(text) as Record<string, unknown>;
  if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest)) {
    throw new Error('package.json must hold a JSON object.');
  }
  const dependencies = { ...(manifest.dependencies as Record<string, string> | undefined) };
  const devDependencies = (manifest.devDependencies as Record<string, string> | undefined) ?? {};

  const added = Object.keys(wanted).filter((name) => !(name in dependencies) && !(name in devDependencies));
  if (added.length === 0) return { text, added };

  for (const name of added) dependencies[name] = wanted[name];
  manifest.dependencies = Object.fromEntries(Object.entries(dependencies).sort(([a], [b]) => a.localeCompare(b)));
  const indentation = /^[ \t]+/m.exec(text)?.[0] ?? '  ';
  return { text: `${JSON.stringify(manifest, null, indentation)}\n`, added };
}

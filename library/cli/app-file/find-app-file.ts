import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Files in which generated and hand-written Koa apps usually build their app, in the order checked. */
export const appFileCandidates: readonly string[] = ['app.ts', 'src/app.ts', 'server.ts', 'src/server.ts', 'index.ts', 'src/index.ts', 'app.js', 'src/app.js'];

/**
 * Returns the host's app file: `appFile` when given (relative to the host folder), else the
 * first usual candidate that imports koa and, for `needle`, contains it. Throws naming the
 * files it looked at and the `--app` fix.
 */
export function findAppFile(hostDirectory: string, appFile: string | undefined, needle?: string): string {
  if (appFile) {
    const file = path.resolve(hostDirectory, appFile);
    if (!existsSync(file)) throw new Error(`The app file ${appFile} does not exist in ${hostDirectory}. Pass --app with the path of the file that creates the Koa app.`);
    return file;
  }

  for (const candidate of appFileCandidates) {
    const file = path.join(hostDirectory, candidate);
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    if (!/from ['"]koa['"]/.test(text)) continue;
    if (needle && !text.includes(needle)) continue;
    return file;
  }
  const wanted = needle ? `imports koa and calls ${needle}` : 'imports koa';
  throw new Error(`No app file that ${wanted} was found in ${hostDirectory} (looked at ${appFileCandidates.join(', ')}). Pass --app with the path of the file that creates the Koa app.`);
}

import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import type { SourceSeam } from '../../lanes/lane-declaration';

export const repositoryRoot = path.resolve(__dirname, '..', '..');

/**
 * Copies the frozen source host into `.lane-work/` and links `koa-jobs-powertools` to this
 * checkout, as `npm install` of a local dependency would. The copy lives inside the
 * repository so the host's other imports resolve from the repository's node_modules.
 */
export function copySourceHost(sourceDirectory: string, workName: string): string {
  const target = path.join(repositoryRoot, '.lane-work', workName, 'host');
  mkdirSync(path.dirname(target), { recursive: true });
  cpSync(path.join(repositoryRoot, sourceDirectory), target, { recursive: true });
  mkdirSync(path.join(target, 'node_modules'), { recursive: true });
  symlinkSync(repositoryRoot, path.join(target, 'node_modules', 'koa-jobs-powertools'), 'dir');
  return target;
}

/**
 * Replaces one exact piece of a host file. Throws naming the file and the text when the piece
 * is missing or appears more than once, so an edit never lands in a place it was not meant for.
 */
export function editHostFile(hostDirectory: string, file: string, find: string, replace: string): void {
  const filePath = path.join(hostDirectory, file);
  const text = readFileSync(filePath, 'utf8');
  const count = text.split(find).length - 1;
  if (count !== 1) {
    throw new Error(`Cannot edit ${file}: expected the text ${JSON.stringify(find)} exactly once, found it ${count} time(s).`);
  }
  writeFileSync(filePath, text.replace(find, replace));
}

/**
 * Removes one seam from a copy, to prove how a diverged host is classified. The database seam
 * ("previous migrations") is removed by giving the host an empty database instead.
 */
export function removeSeam(hostDirectory: string, seam: Exclude<SourceSeam, 'previous migrations'>): void {
  if (seam === 'repo') editHostFile(hostDirectory, 'app.ts', '    repo: pool,\n', '');
  if (seam === 'auth') editHostFile(hostDirectory, 'app.ts', '    auth: makeJobsAuth(pool),\n', '');
  if (seam === 'mount') editHostFile(hostDirectory, 'app.ts', "new Router({ prefix: '/ops/jobs' })", "new Router({ prefix: '/admin/queue-tools' })");
}

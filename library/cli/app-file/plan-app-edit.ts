import type TypeScript from 'typescript';

import { type AppEditLines, formatManualLines, makeAppEditLines } from './app-edit-lines';
import { type AppAnchors, findAppAnchors } from './find-app-anchors';
import { findImportedName, type ParsedAppFile } from './parse-app-file';
import { readPowertoolsCalls } from './read-powertools-config';

export type AppEditPlan =
  /** The app file already calls createPowertools; the installer leaves it alone. */
  | { kind: 'installed'; detail: string }
  /** `createsBoss`: the edit adds a pg-boss instance, so the host needs the pg-boss dependency. */
  | { kind: 'edit'; text: string; summary: string; followUp: string | null; createsBoss: boolean }
  /** The installer does not recognise the file and prints the lines to add instead. */
  | { kind: 'unfamiliar'; reasons: string[]; manualLines: string };

// Names the installer declares in the app file. A file that already uses one is not edited.
const addedNames = ['powertools', 'jobsScope', 'jobsAuth', 'requireJobsActor', 'jobsDisplayPolicy', 'jobsCronEntries', 'createPowertools'];

/**
 * Plans the installer's edit of an app file from its syntax tree: imports, the mount block in
 * the host-owned scope, the start lines before `listen` and, when a shutdown closes the pool,
 * the stop lines. Nothing is written here.
 */
export function planAppEdit(parsed: ParsedAppFile, options: { mountPath: string; seamsPath: string; displayName: string }): AppEditPlan {
  const calls = readPowertoolsCalls(parsed);
  if (calls.length > 0) {
    return { kind: 'installed', detail: `${options.displayName} already calls createPowertools (line ${calls[0].line}); it was left as it is` };
  }

  const search = findAppAnchors(parsed);
  const alreadyImported = {
    router: findImportedName(parsed, '@koa/router', 'default') !== null,
    pgBoss: findImportedName(parsed, 'pg-boss', { named: 'PgBoss' }) !== null,
  };
  if (!search.ok) return unfamiliar(options, search.reasons, defaultLines(options, alreadyImported));

  const { anchors } = search;
  const lines = makeAppEditLines(
    {
      appName: anchors.appName,
      poolName: anchors.poolName,
      connectionText: anchors.connectionText ?? 'process.env.DATABASE_URL',
      existingBossName: anchors.existingBoss?.name ?? null,
      startsExistingBoss: anchors.existingBoss?.started ?? false,
      loggerName: anchors.loggerName,
      routerName: anchors.routerName ?? 'Router',
      mountPath: options.mountPath,
      seamsPath: options.seamsPath,
    },
    alreadyImported,
  );
  const collisions = findCollisions(anchors, alreadyImported);
  if (collisions.length > 0) {
    return unfamiliar(options, [`it already declares ${collisions.map((name) => `\`${name}\``).join(', ')}, which the installer would add`], lines);
  }

  const edits = [
    ...importEdits(parsed, lines),
    mountEdit(parsed, anchors, lines),
    { position: lineStart(parsed.text, anchors.listenStatement.getStart()), text: indentLines(lines.start, indentationAt(parsed.text, anchors.listenStatement.getStart())) },
  ];
  if (anchors.poolEndStatement) {
    edits.push({ position: lineStart(parsed.text, anchors.poolEndStatement.getStart()), text: indentLines(lines.stop, indentationAt(parsed.text, anchors.poolEndStatement.getStart())) });
  }

  return {
    kind: 'edit',
    text: applyEdits(parsed.text, edits),
    createsBoss: anchors.existingBoss === null,
    summary: `mounts the control plane at ${options.mountPath} inside the host's pipeline and starts ${anchors.existingBoss ? 'the scheduler' : 'pg-boss and the scheduler'} before ${anchors.appName}.listen()`,
    followUp: anchors.poolEndStatement
      ? null
      : `${options.displayName} has no async shutdown that closes ${anchors.poolName}; where the host shuts down, add:\n${lines.stop.map((line) => `    ${line}`).join('\n')}`,
  };
}

function defaultLines(options: { mountPath: string; seamsPath: string }, alreadyImported: { router: boolean; pgBoss: boolean }): AppEditLines {
  return makeAppEditLines(
    {
      appName: 'app',
      poolName: 'pool',
      connectionText: 'process.env.DATABASE_URL',
      existingBossName: null,
      startsExistingBoss: false,
      loggerName: null,
      routerName: 'Router',
      mountPath: options.mountPath,
      seamsPath: options.seamsPath,
    },
    alreadyImported,
  );
}

function unfamiliar(options: { displayName: string }, reasons: string[], lines: AppEditLines): AppEditPlan {
  return { kind: 'unfamiliar', reasons, manualLines: formatManualLines(options.displayName, lines) };
}

function findCollisions(anchors: AppAnchors, alreadyImported: { router: boolean }): string[] {
  const names = [...addedNames, ...(anchors.existingBoss ? [] : ['boss'])];
  if (!alreadyImported.router) names.push('Router');
  return names.filter((name) => anchors.declaredNames.has(name));
}

interface TextEdit {
  position: number;
  text: string;
}

/** Package imports go after the last package import, seam imports after the last import of all. */
function importEdits(parsed: ParsedAppFile, lines: AppEditLines): TextEdit[] {
  const { ts, source } = parsed;
  const imports = source.statements.filter((statement): statement is TypeScript.ImportDeclaration => ts.isImportDeclaration(statement));
  const isRelative = (statement: TypeScript.ImportDeclaration) => ts.isStringLiteral(statement.moduleSpecifier) && statement.moduleSpecifier.text.startsWith('.');
  const packageImports = imports.filter((statement) => !isRelative(statement));
  const lastImport = imports[imports.length - 1];
  const lastPackageImport = packageImports[packageImports.length - 1] ?? null;

  const seamText = `${lines.seamImports.join('\n')}\n`;
  if (!lastPackageImport) {
    return [
      { position: lineStart(parsed.text, imports[0].getStart()), text: `${lines.packageImports.join('\n')}\n\n` },
      { position: lineEnd(parsed.text, lastImport.getEnd()), text: seamText },
    ];
  }
  const edits: TextEdit[] = [{ position: lineEnd(parsed.text, lastPackageImport.getEnd()), text: `${lines.packageImports.join('\n')}\n` }];
  // A file without relative imports gets its first group of them after a blank line, as the host's own group would be.
  edits.push(lastImport === lastPackageImport ? { position: lineEnd(parsed.text, lastImport.getEnd()), text: `\n${seamText}` } : { position: lineEnd(parsed.text, lastImport.getEnd()), text: seamText });
  return edits;
}

function mountEdit(parsed: ParsedAppFile, anchors: AppAnchors, lines: AppEditLines): TextEdit {
  if (anchors.mountBefore) {
    const start = anchors.mountBefore.getStart();
    const position = lineStart(parsed.text, start);
    // A blank line separates the block from the host's code, unless one is there already.
    const gap = parsed.text.slice(Math.max(position - 2, 0), position) === '\n\n' ? '' : '\n';
    return { position, text: `${gap}${indentLines(lines.mount, indentationAt(parsed.text, start))}\n` };
  }
  const after = anchors.afterStatement;
  return { position: lineEnd(parsed.text, after.getEnd()), text: `\n${indentLines(lines.mount, indentationAt(parsed.text, after.getStart()))}` };
}

function applyEdits(text: string, edits: TextEdit[]): string {
  // Later positions first, so earlier positions stay valid; stable for edits at one position.
  const ordered = edits.map((edit, order) => ({ ...edit, order })).sort((a, b) => b.position - a.position || b.order - a.order);
  let result = text;
  for (const edit of ordered) result = result.slice(0, edit.position) + edit.text + result.slice(edit.position);
  return result;
}

function indentLines(block: string[], indentation: string): string {
  return block.map((line) => `${indentation}${line}\n`).join('');
}

function lineStart(text: string, position: number): number {
  return text.lastIndexOf('\n', position - 1) + 1;
}

/** Position just after the newline that ends the line containing `position`. */
function lineEnd(text: string, position: number): number {
  const newline = text.indexOf('\n', position);
  return newline === -1 ? text.length : newline + 1;
}

function indentationAt(text: string, position: number): string {
  const start = lineStart(text, position);
  return /^[ \t]*/.exec(text.slice(start, position))![0];
}

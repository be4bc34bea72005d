import { readFileSync } from 'node:fs';

import type TypeScript from 'typescript';

import type { TypeScriptApi } from './load-typescript';

export interface ParsedAppFile {
  ts: TypeScriptApi;
  file: string;
  text: string;
  source: TypeScript.SourceFile;
}

/** Parses an app file into a syntax tree with parent links, without type checking. */
export function parseAppFile(ts: TypeScriptApi, file: string, text = readFileSync(file, 'utf8')): ParsedAppFile {
  const kind = /\.[cm]?jsx?$/.test(file) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  return { ts, file, text, source: ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, kind) };
}

/** Calls `callback` for every node below `node`, depth first, in source order. */
export function visitNodes(node: TypeScript.Node, callback: (node: TypeScript.Node) => void): void {
  callback(node);
  node.forEachChild((child) => visitNodes(child, callback));
}

/**
 * Returns the local name a module's import binds, or null: the default import for
 * `kind: 'default'`, else the named import `name` (its alias when renamed).
 */
export function findImportedName(parsed: ParsedAppFile, moduleName: string, kind: 'default' | { named: string }): string | null {
  const { ts, source } = parsed;
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    if (statement.moduleSpecifier.text !== moduleName) continue;
    const clause = statement.importClause;
    if (!clause) continue;
    if (kind === 'default') {
      if (clause.name) return clause.name.text;
      continue;
    }
    const bindings = clause.namedBindings;
    if (!bindings || !ts.isNamedImports(bindings)) continue;
    for (const element of bindings.elements) {
      if ((element.propertyName ?? element.name).text === kind.named) return element.name.text;
    }
  }
  return null;
}

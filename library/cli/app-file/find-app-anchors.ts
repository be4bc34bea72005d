import type TypeScript from 'typescript';

import { findImportedName, type ParsedAppFile, visitNodes } from './parse-app-file';

/** A statement list the installer inserts into: a function body or the module itself. */
interface Scope {
  statements: readonly TypeScript.Statement[];
  /** The function whose body this is, or null at module level. */
  owner: TypeScript.FunctionLikeDeclaration | null;
}

/** The insertion points the installer found in an app file's syntax tree. */
export interface AppAnchors {
  appName: string;
  /** Statement before which the mount block goes, or null to insert after `afterStatement`. */
  mountBefore: TypeScript.Statement | null;
  afterStatement: TypeScript.Statement;
  poolName: string;
  /** The `connectionString` the pool is created with, as source text, when app.ts shows it. */
  connectionText: string | null;
  /** An existing pg-boss instance in scope, and whether app.ts already starts it. */
  existingBoss: { name: string; started: boolean } | null;
  listenStatement: TypeScript.Statement;
  /** Statement closing the pool in an async shutdown function, before which the stop lines go. */
  poolEndStatement: TypeScript.Statement | null;
  loggerName: string | null;
  routerName: string | null;
  declaredNames: Set<string>;
}

export type AnchorSearch = { ok: true; anchors: AppAnchors } | { ok: false; reasons: string[] };

/**
 * Finds the places the installer edits: the `new Koa()` app, the statement that mounts the
 * host's routes, the pg pool, the `listen` call and, optionally, the shutdown that closes the
 * pool. The mount goes just before the host's routes, so every app-level middleware above it
 * runs first. pg-boss and the scheduler start before `listen`, which must be in an async
 * function. Returns every reason the file does not fit instead of guessing.
 */
export function findAppAnchors(parsed: ParsedAppFile): AnchorSearch {
  const { ts, source } = parsed;
  const reasons: string[] = [];
  if (!source.statements.some((statement) => ts.isImportDeclaration(statement))) {
    return { ok: false, reasons: ['it has no import declarations; the installer edits ES module syntax (import ... from), not require()'] };
  }

  const koaName = findImportedName(parsed, 'koa', 'default');
  const appDeclarations = koaName ? findDeclarations(parsed, (initializer) => isNewOf(ts, initializer, koaName)) : [];
  if (!koaName) return { ok: false, reasons: ['it does not import Koa with `import Koa from \'koa\'`'] };
  if (appDeclarations.length !== 1) {
    return { ok: false, reasons: [`it creates ${appDeclarations.length} Koa apps with \`const app = new ${koaName}(...)\`; the installer needs exactly one`] };
  }
  const appDeclaration = appDeclarations[0];
  const appName = (appDeclaration.name as TypeScript.Identifier).text;
  const scope = scopeOf(ts, appDeclaration);
  if (!scope) return { ok: false, reasons: ['its Koa app is not declared in a function body or at module level'] };
  const appIndex = scope.statements.indexOf(statementOf(appDeclaration));

  const useIndexes = scope.statements.map((statement, index) => (index > appIndex && callsMethod(ts, statement, appName, 'use') ? index : -1)).filter((index) => index !== -1);
  const routesIndex = useIndexes.find((index) => scope.statements[index].getText().includes('.routes()'));
  const mountIndex = routesIndex ?? (useIndexes.length > 0 ? useIndexes[useIndexes.length - 1] + 1 : appIndex + 1);

  const pool = findPool(parsed, scope, mountIndex);
  if (!pool) reasons.push(`it has no pg Pool (\`new Pool(...)\` from 'pg') declared before the host's routes in the scope of its Koa app`);
  const existingBoss = findBoss(parsed, scope, mountIndex);
  if (pool && !pool.connectionText && !existingBoss) {
    reasons.push(`its pool ${pool.name} is not created with a connectionString in this file, so the installer cannot tell which database pg-boss should use`);
  }

  const listenIndex = scope.statements.findIndex((statement, index) => index >= mountIndex && callsMethod(ts, statement, appName, 'listen'));
  if (listenIndex === -1) {
    reasons.push(`it does not call ${appName}.listen() after its routes in the scope that creates the app, so the installer cannot tell where the host starts`);
  } else if (!scope.owner || !isAsync(ts, scope.owner)) {
    reasons.push(`${appName}.listen() is not inside an async function, where pg-boss and the scheduler can be awaited before the host listens`);
  }

  const declaredNames = collectDeclaredNames(parsed);
  if (reasons.length > 0 || !pool || listenIndex === -1) return { ok: false, reasons };

  return {
    ok: true,
    anchors: {
      appName,
      mountBefore: mountIndex < scope.statements.length && routesIndex !== undefined ? scope.statements[mountIndex] : null,
      afterStatement: scope.statements[mountIndex - 1],
      poolName: pool.name,
      connectionText: pool.connectionText,
      existingBoss,
      listenStatement: scope.statements[listenIndex],
      poolEndStatement: findPoolEnd(parsed, scope, pool.name),
      loggerName: findLogger(parsed, scope, mountIndex),
      routerName: findImportedName(parsed, '@koa/router', 'default'),
      declaredNames,
    },
  };
}

function findDeclarations(parsed: ParsedAppFile, matches: (initializer: TypeScript.Expression) => boolean): TypeScript.VariableDeclaration[] {
  const { ts, source } = parsed;
  const found: TypeScript.VariableDeclaration[] = [];
  visitNodes(source, (node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && matches(node.initializer)) found.push(node);
  });
  return found;
}

function isNewOf(ts: ParsedAppFile['ts'], expression: TypeScript.Expression, className: string): boolean {
  return ts.isNewExpression(expression) && expression.expression.getText() === className;
}

function statementOf(declaration: TypeScript.VariableDeclaration): TypeScript.Statement {
  return declaration.parent.parent as TypeScript.Statement;
}

function scopeOf(ts: ParsedAppFile['ts'], declaration: TypeScript.VariableDeclaration): Scope | null {
  const statement = statementOf(declaration);
  if (!ts.isVariableStatement(statement)) return null;
  const container = statement.parent;
  if (ts.isSourceFile(container)) return { statements: container.statements, owner: null };
  if (ts.isBlock(container) && ts.isFunctionLike(container.parent)) {
    return { statements: container.statements, owner: container.parent as TypeScript.FunctionLikeDeclaration };
  }
  return null;
}

/** Scopes a name declared for `scope` can come from: the scope's statements before `beforeIndex`, then module level. */
function declarationsInReach(parsed: ParsedAppFile, scope: Scope, beforeIndex: number): TypeScript.VariableDeclaration[] {
  const { ts, source } = parsed;
  const statements = [...scope.statements.slice(0, beforeIndex), ...(scope.owner ? source.statements : [])];
  return statements.flatMap((statement) => (ts.isVariableStatement(statement) ? [...statement.declarationList.declarations] : []));
}

function findPool(parsed: ParsedAppFile, scope: Scope, beforeIndex: number): { name: string; connectionText: string | null } | null {
  const { ts } = parsed;
  const poolClass = findImportedName(parsed, 'pg', { named: 'Pool' });
  const pgDefault = findImportedName(parsed, 'pg', 'default');
  const classNames = [poolClass, pgDefault ? `${pgDefault}.Pool` : null].filter((name): name is string => name !== null);

  for (const declaration of declarationsInReach(parsed, scope, beforeIndex)) {
    const initializer = declaration.initializer;
    if (!initializer || !ts.isIdentifier(declaration.name) || !classNames.some((name) => isNewOf(ts, initializer, name))) continue;
    return { name: declaration.name.text, connectionText: readConnectionText(ts, initializer as TypeScript.NewExpression) };
  }
  return null;
}

function readConnectionText(ts: ParsedAppFile['ts'], expression: TypeScript.NewExpression): string | null {
  const options = expression.arguments?.[0];
  if (!options || !ts.isObjectLiteralExpression(options)) return null;
  for (const property of options.properties) {
    if (ts.isPropertyAssignment(property) && property.name.getText() === 'connectionString') return property.initializer.getText();
    if (ts.isShorthandPropertyAssignment(property) && property.name.text === 'connectionString') return 'connectionString';
  }
  return null;
}

function findBoss(parsed: ParsedAppFile, scope: Scope, beforeIndex: number): { name: string; started: boolean } | null {
  const { ts, source } = parsed;
  const bossClass = findImportedName(parsed, 'pg-boss', { named: 'PgBoss' }) ?? findImportedName(parsed, 'pg-boss', 'default');
  if (!bossClass) return null;
  const declaration = declarationsInReach(parsed, scope, beforeIndex).find((candidate) => candidate.initializer && isNewOf(ts, candidate.initializer, bossClass));
  if (!declaration || !ts.isIdentifier(declaration.name)) return null;
  const name = declaration.name.text;
  let started = false;
  visitNodes(source, (node) => {
    if (ts.isCallExpression(node) && node.expression.getText() === `${name}.start`) started = true;
  });
  return { name, started };
}

function findLogger(parsed: ParsedAppFile, scope: Scope, beforeIndex: number): string | null {
  const { ts } = parsed;
  const pinoName = findImportedName(parsed, 'pino', 'default');
  if (!pinoName) return null;
  const declaration = declarationsInReach(parsed, scope, beforeIndex).find(
    (candidate) => candidate.initializer && ts.isCallExpression(candidate.initializer) && candidate.initializer.expression.getText() === pinoName,
  );
  return declaration && ts.isIdentifier(declaration.name) ? declaration.name.text : null;
}

/** True when `statement` calls `objectName.method(...)` outside any function nested in it. */
function callsMethod(ts: ParsedAppFile['ts'], statement: TypeScript.Statement, objectName: string, method: string): boolean {
  let found = false;
  const visit = (node: TypeScript.Node): void => {
    if (found || (node !== statement && ts.isFunctionLike(node))) return;
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === method) {
      let target: TypeScript.Expression = node.expression.expression;
      // `app.use(a).use(b)` chains: the object of the first call in the chain is the app.
      while (ts.isCallExpression(target) && ts.isPropertyAccessExpression(target.expression)) target = target.expression.expression;
      if (target.getText() === objectName) found = true;
    }
    node.forEachChild(visit);
  };
  visit(statement);
  return found;
}

function isAsync(ts: ParsedAppFile['ts'], owner: TypeScript.FunctionLikeDeclaration): boolean {
  return (ts.getModifiers?.(owner as TypeScript.HasModifiers) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.AsyncKeyword);
}

/** The `[await] pool.end()` statement inside an async function in `scope`, where the host shuts down. */
function findPoolEnd(parsed: ParsedAppFile, scope: Scope, poolName: string): TypeScript.Statement | null {
  const { ts } = parsed;
  let found: TypeScript.Statement | null = null;
  for (const statement of scope.statements) {
    visitNodes(statement, (node) => {
      if (found || !ts.isExpressionStatement(node)) return;
      const call = ts.isAwaitExpression(node.expression) ? node.expression.expression : node.expression;
      if (!ts.isCallExpression(call) || call.expression.getText() !== `${poolName}.end`) return;
      const owner = node.parent?.parent;
      if (owner && ts.isBlock(node.parent) && ts.isFunctionLike(owner) && isAsync(ts, owner as TypeScript.FunctionLikeDeclaration)) found = node;
    });
  }
  return found;
}

function collectDeclaredNames(parsed: ParsedAppFile): Set<string> {
  const { ts, source } = parsed;
  const names = new Set<string>();
  visitNodes(source, (node) => {
    if ((ts.isVariableDeclaration(node) || ts.isParameter(node) || ts.isBindingElement(node)) && ts.isIdentifier(node.name)) names.add(node.name.text);
    if ((ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node)) && node.name) names.add(node.name.text);
    if (ts.isImportClause(node) && node.name) names.add(node.name.text);
    if (ts.isImportSpecifier(node) || ts.isNamespaceImport(node)) names.add(node.name.text);
  });
  return names;
}

import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { Pool } from 'pg';
import ts from 'typescript';

import type { SourceSeam, SupportBucket } from '../../lanes/lane-declaration';

export interface SourceHostInspection {
  bucket: SupportBucket;
  missing: SourceSeam[];
  /** One line per seam: what was found, or what is missing and where it was looked for. */
  findings: Record<SourceSeam, string>;
}

/**
 * Classifies a source host against the supported upgrade lane by reading its app file's syntax
 * tree and its database. A host missing any required seam is best-effort, never supported.
 */
export async function inspectSourceHost(
  hostDirectory: string,
  pool: Pool,
  expectations: { mountPath: string; previousMigration: string; requiredSeams: SourceSeam[] },
): Promise<SourceHostInspection> {
  const appFile = path.join(hostDirectory, 'app.ts');
  const config = findPowertoolsConfig(appFile);
  const findings = {} as Record<SourceSeam, string>;

  findings.repo = config.has('repo') ? 'createPowertools receives repo' : `createPowertools in ${path.basename(appFile)} has no repo option`;
  findings.auth = config.has('auth') ? 'createPowertools receives auth' : `createPowertools in ${path.basename(appFile)} has no auth option`;
  findings.mount = findMount(appFile, expectations.mountPath);
  findings['previous migrations'] = await findPreviousMigrations(pool, expectations.previousMigration);

  const missing = expectations.requiredSeams.filter((seam) => !isPresent(seam, findings[seam]));
  return { bucket: missing.length === 0 ? 'supported' : 'best-effort', missing, findings };
}

function isPresent(seam: SourceSeam, finding: string): boolean {
  if (seam === 'repo' || seam === 'auth') return finding === `createPowertools receives ${seam}`;
  return finding.startsWith('found');
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
}

/** Property names of the object literal passed to createPowertools, or an empty set. */
export function findPowertoolsConfig(appFile: string): Set<string> {
  const names = new Set<string>();
  visit(parse(appFile), (node) => {
    if (!ts.isCallExpression(node) || node.expression.getText() !== 'createPowertools') return;
    const argument = node.arguments[0];
    if (!argument || !ts.isObjectLiteralExpression(argument)) return;
    for (const property of argument.properties) {
      if (property.name) names.add(property.name.getText());
    }
  });
  return names;
}

/**
 * Looks for a router created with the mount path as its prefix that has a guard middleware
 * registered before the control plane's routes, i.e. the mount sits inside a host-owned scope.
 */
export function findMount(appFile: string, mountPath: string): string {
  const source = parse(appFile);
  let routerName: string | null = null;
  visit(source, (node) => {
    if (!ts.isVariableDeclaration(node) || !node.initializer || !ts.isNewExpression(node.initializer)) return;
    const options = node.initializer.arguments?.[0];
    if (!options || !ts.isObjectLiteralExpression(options)) return;
    const prefix = options.properties.find((property) => property.name?.getText() === 'prefix');
    if (prefix && ts.isPropertyAssignment(prefix) && ts.isStringLiteral(prefix.initializer) && prefix.initializer.text === mountPath) {
      routerName = node.name.getText();
    }
  });
  if (!routerName) return `no router with prefix ${mountPath} in ${path.basename(appFile)}`;

  const uses: string[] = [];
  visit(source, (node) => {
    if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return;
    if (node.expression.expression.getText() !== routerName || node.expression.name.text !== 'use') return;
    uses.push(node.arguments.map((argument) => argument.getText()).join(', '));
  });
  const mountIndex = uses.findIndex((argument) => argument.includes('.router.routes()'));
  if (mountIndex === -1) return `router ${routerName} (prefix ${mountPath}) never mounts the control plane's router`;
  if (mountIndex === 0) return `the mount at ${mountPath} has no host middleware before it, so it sits outside a host-owned scope`;
  return `found the mount at ${mountPath} on router ${routerName}, behind ${mountIndex} host middleware`;
}

async function findPreviousMigrations(pool: Pool, previousMigration: string): Promise<string> {
  const { rows } = await pool.query<{ present: boolean }>(
    `select to_regclass('jobs_powertools.migrations') is not null as present`,
  );
  if (!rows[0].present) return 'no jobs_powertools.migrations table: the previous migrations were never run';
  const applied = await pool.query<{ name: string }>(`select name from jobs_powertools.migrations where name = $1::text`, [previousMigration]);
  return applied.rows.length === 1 ? `found ${previousMigration} applied` : `${previousMigration} is not applied`;
}

function visit(node: ts.Node, callback: (node: ts.Node) => void): void {
  callback(node);
  node.forEachChild((child) => visit(child, callback));
}

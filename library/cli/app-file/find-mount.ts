import type TypeScript from 'typescript';

import { type ParsedAppFile, visitNodes } from './parse-app-file';

export interface MountFinding {
  found: boolean;
  /** One line: where the mount is and what runs before it, or what is missing. */
  detail: string;
}

/**
 * Looks for the documented mount: a router created with `prefix: mountPath` that registers at
 * least one host middleware before the control plane's `router.routes()`, so the control plane
 * sits inside a host-owned scope behind the host's pipeline.
 */
export function findMount(parsed: ParsedAppFile, mountPath: string): MountFinding {
  const { ts, source } = parsed;
  const routers: string[] = [];
  visitNodes(source, (node) => {
    if (!ts.isVariableDeclaration(node) || !node.initializer || !ts.isNewExpression(node.initializer)) return;
    if (!ts.isIdentifier(node.name) || !hasPrefix(ts, node.initializer, mountPath)) return;
    routers.push(node.name.text);
  });
  if (routers.length === 0) return { found: false, detail: `no router with prefix ${mountPath}` };

  for (const routerName of routers) {
    const uses = listUseArguments(parsed, routerName);
    const mountIndex = uses.findIndex((argument) => argument.includes('.router.routes()'));
    if (mountIndex === -1) continue;
    if (mountIndex === 0) {
      return { found: false, detail: `router ${routerName} (prefix ${mountPath}) mounts the control plane with no host middleware before it, so it sits outside a host-owned scope` };
    }
    return { found: true, detail: `router ${routerName} mounts the control plane at ${mountPath} behind ${mountIndex} host middleware` };
  }
  return { found: false, detail: `router ${routers.join(', ')} has prefix ${mountPath} but never mounts the control plane's router.routes()` };
}

function hasPrefix(ts: ParsedAppFile['ts'], expression: TypeScript.NewExpression, mountPath: string): boolean {
  const options = expression.arguments?.[0];
  if (!options || !ts.isObjectLiteralExpression(options)) return false;
  return options.properties.some((property) =>
    ts.isPropertyAssignment(property)
    && property.name.getText() === 'prefix'
    && ts.isStringLiteralLike(property.initializer)
    && property.initializer.text === mountPath,
  );
}

/** The arguments of each `routerName.use(...)` call, in source order, as text. */
function listUseArguments(parsed: ParsedAppFile, routerName: string): string[] {
  const { ts, source } = parsed;
  const uses: string[] = [];
  visitNodes(source, (node) => {
    if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return;
    if (node.expression.name.text !== 'use' || node.expression.expression.getText() !== routerName) return;
    uses.push(node.arguments.map((argument) => argument.getText()).join(', '));
  });
  return uses;
}

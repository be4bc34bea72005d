import type TypeScript from 'typescript';

import { type ParsedAppFile, visitNodes } from './parse-app-file';

/** How one option of the createPowertools call is given. */
export type OptionValue =
  | { kind: 'given'; text: string }
  /** Written as `undefined` or `null`, which createPowertools treats as missing. */
  | { kind: 'empty'; text: string };

export interface PowertoolsCall {
  /** 1-based line of the call, for messages. */
  line: number;
  options: Map<string, OptionValue>;
  /** True when the options object spreads another object, whose keys the syntax tree cannot show. */
  spreads: boolean;
  /** Set when the options are not an object literal the CLI can read, with what it saw instead. */
  unreadable: string | null;
}

/**
 * Finds every `createPowertools(...)` call in an app file and reads the options object it
 * receives: an object literal in the call, or a `const` in the same file initialised with one.
 */
export function readPowertoolsCalls(parsed: ParsedAppFile): PowertoolsCall[] {
  const { ts, source } = parsed;
  const calls: PowertoolsCall[] = [];
  visitNodes(source, (node) => {
    if (!ts.isCallExpression(node) || calleeName(ts, node.expression) !== 'createPowertools') return;
    const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
    const literal = resolveObjectLiteral(parsed, node.arguments[0]);
    if (!literal) {
      const seen = node.arguments[0] ? node.arguments[0].getText() : 'no argument';
      calls.push({ line, options: new Map(), spreads: false, unreadable: `createPowertools on line ${line} receives ${seen}, not an object literal the CLI can read` });
      return;
    }
    calls.push({ line, ...readOptions(ts, literal), unreadable: null });
  });
  return calls;
}

function calleeName(ts: ParsedAppFile['ts'], expression: TypeScript.Expression): string | null {
  if (ts.isIdentifier(expression)) return expression.text;
  if (ts.isPropertyAccessExpression(expression)) return expression.name.text;
  return null;
}

function resolveObjectLiteral(parsed: ParsedAppFile, argument: TypeScript.Expression | undefined): TypeScript.ObjectLiteralExpression | null {
  const { ts, source } = parsed;
  if (!argument) return null;
  if (ts.isObjectLiteralExpression(argument)) return argument;
  if (!ts.isIdentifier(argument)) return null;

  let found: TypeScript.ObjectLiteralExpression | null = null;
  visitNodes(source, (node) => {
    if (!ts.isVariableDeclaration(node) || !ts.isIdentifier(node.name) || node.name.text !== argument.text) return;
    if (node.initializer && ts.isObjectLiteralExpression(node.initializer)) found = node.initializer;
  });
  return found;
}

function readOptions(ts: ParsedAppFile['ts'], literal: TypeScript.ObjectLiteralExpression): { options: Map<string, OptionValue>; spreads: boolean } {
  const options = new Map<string, OptionValue>();
  let spreads = false;
  for (const property of literal.properties) {
    if (ts.isSpreadAssignment(property)) {
      spreads = true;
      continue;
    }
    if (!property.name) continue;
    const name = ts.isIdentifier(property.name) || ts.isStringLiteral(property.name) ? property.name.text : property.name.getText();
    if (ts.isShorthandPropertyAssignment(property)) {
      options.set(name, { kind: 'given', text: name });
      continue;
    }
    if (ts.isPropertyAssignment(property)) {
      const text = property.initializer.getText();
      const empty = text === 'undefined' || property.initializer.kind === ts.SyntaxKind.NullKeyword;
      options.set(name, { kind: empty ? 'empty' : 'given', text });
      continue;
    }
    // A method or accessor in the options object still provides the option.
    options.set(name, { kind: 'given', text: property.getText() });
  }
  return { options, spreads };
}

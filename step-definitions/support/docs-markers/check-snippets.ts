import { existsSync } from 'node:fs';
import path from 'node:path';

import ts from 'typescript';

import type { CheckResult, Disagreement } from './disagreement';
import { readMarkdown } from './markdown-document';

interface SnippetsInput {
  root: string;
  /** The guides and the README, relative to the root. */
  documents: string[];
  /** Fence languages whose blocks are type-checked, e.g. `ts`. */
  languages: string[];
  /** A .d.ts declaring the host-owned names snippets may use, relative to the root. */
  context: string;
}

interface Snippet {
  document: string;
  /** The line of the opening fence. */
  fenceLine: number;
  fileName: string;
  code: string;
}

/**
 * Type-checks every TypeScript block of the docs against the library, each as its own ES module
 * at the repository root. `koa-jobs-powertools` resolves to library/index.ts through the root
 * tsconfig's paths, relative imports resolve from the root, and top-level await is allowed. A
 * type error is reported at its line in the document.
 */
export function checkSnippets(input: SnippetsInput): CheckResult {
  const snippets = collectSnippets(input);
  const contextFile = path.join(input.root, input.context);
  if (!existsSync(contextFile)) {
    return { checked: 0, disagreements: [{ file: input.context, line: null, message: 'is missing; it declares the host-owned names that guide snippets use.' }] };
  }

  const program = ts.createProgram({
    rootNames: [contextFile, ...snippets.map((snippet) => snippet.fileName)],
    options: compilerOptions(input.root),
    host: makeHost(input.root, snippets),
  });
  const disagreements: Disagreement[] = [];
  for (const snippet of snippets) {
    const source = program.getSourceFile(snippet.fileName)!;
    for (const diagnostic of ts.getPreEmitDiagnostics(program, source)) {
      disagreements.push(describeDiagnostic(diagnostic, snippet));
    }
  }
  const context = program.getSourceFile(contextFile)!;
  for (const diagnostic of ts.getPreEmitDiagnostics(program, context)) {
    disagreements.push({ file: input.context, line: lineOf(diagnostic), message: `does not type-check: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}` });
  }
  return { checked: snippets.length, disagreements };
}

function collectSnippets(input: SnippetsInput): Snippet[] {
  return input.documents
    .filter((file) => existsSync(path.join(input.root, file)))
    .flatMap((file) =>
      readMarkdown(input.root, file)
        .fences.filter((fence) => input.languages.includes(fence.language))
        .map((fence) => ({
          document: file,
          fenceLine: fence.line,
          // Each snippet sits at the root, so its relative imports resolve as the guides write them.
          fileName: path.join(input.root, `.docs-snippet--${file.replace(/[^\w.-]+/g, '-')}--${fence.line}.ts`),
          // `export {}` makes a snippet without imports a module too, so snippets never share names.
          code: `${fence.code}\nexport {};\n`,
        })),
    );
}

function compilerOptions(root: string): ts.CompilerOptions {
  const configFile = path.join(root, 'tsconfig.json');
  const { config } = ts.readConfigFile(configFile, ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config ?? {}, ts.sys, root, undefined, configFile);
  return {
    ...options,
    noEmit: true,
    module: ts.ModuleKind.ES2022,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
  };
}

/** Makes a compiler host that serves the snippets from memory and everything else from disk. */
function makeHost(root: string, snippets: Snippet[]): ts.CompilerHost {
  const host = ts.createCompilerHost(compilerOptions(root), true);
  const byName = new Map(snippets.map((snippet) => [path.normalize(snippet.fileName), snippet]));
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);

  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const snippet = byName.get(path.normalize(fileName));
    if (snippet) return ts.createSourceFile(fileName, snippet.code, languageVersion, true, ts.ScriptKind.TS);
    return getSourceFile(fileName, languageVersion, onError, shouldCreate);
  };
  host.fileExists = (fileName) => byName.has(path.normalize(fileName)) || fileExists(fileName);
  host.readFile = (fileName) => byName.get(path.normalize(fileName))?.code ?? readFile(fileName);
  return host;
}

function describeDiagnostic(diagnostic: ts.Diagnostic, snippet: Snippet): Disagreement {
  const snippetLine = lineOf(diagnostic);
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
  return {
    file: snippet.document,
    line: snippetLine === null ? snippet.fenceLine : snippet.fenceLine + snippetLine,
    message: `the TypeScript snippet does not type-check against the library: TS${diagnostic.code} ${message}`,
  };
}

/** Returns the 1-based line of a diagnostic in its own file, or null for a diagnostic without a position. */
function lineOf(diagnostic: ts.Diagnostic): number | null {
  if (!diagnostic.file || diagnostic.start === undefined) return null;
  return diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line + 1;
}

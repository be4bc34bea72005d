import type TypeScript from 'typescript';

export type TypeScriptApi = typeof TypeScript;

/**
 * Loads the TypeScript compiler the CLI parses app files with: the host's own copy first, so
 * the syntax it accepts matches the host's compiler, then the one installed beside this library.
 * Throws naming the fix when neither is installed.
 */
export function loadTypeScript(hostDirectory: string): TypeScriptApi {
  for (const paths of [[hostDirectory], [__dirname]]) {
    let resolved: string;
    try {
      resolved = require.resolve('typescript', { paths });
    } catch {
      // Not installed at this location; the next one may have it.
      continue;
    }
    return require(resolved) as TypeScriptApi;
  }
  throw new Error(`jobs-powertools reads app files with the TypeScript compiler, but "typescript" is not installed in ${hostDirectory} or beside koa-jobs-powertools. Install it with npm install --save-dev typescript.`);
}

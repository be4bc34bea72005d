#!/usr/bin/env node
// The jobs-powertools command. The package ships TypeScript source, so this registers ts-node's
// transpiler unless a TypeScript loader is active already, and runs library/cli/main.ts.
'use strict';

if (!('.ts' in require.extensions)) {
  // skipProject: the host's tsconfig may target ES modules, and this process runs only library code.
  require('ts-node').register({ transpileOnly: true, skipProject: true, compilerOptions: { module: 'commonjs', target: 'es2022', esModuleInterop: true } });
}

require('./main.ts')
  .runCli(process.argv.slice(2))
  .then((exitCode) => {
    process.exitCode = exitCode;
  });

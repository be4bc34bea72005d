// Preloaded with `node --require` to run a host as if @pg-boss/dashboard were not installed:
// resolving the package or any file in it fails the way Node fails for a missing package.
const Module = require('node:module');

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolveWithoutDashboard(request, ...rest) {
  if (request === '@pg-boss/dashboard' || request.startsWith('@pg-boss/dashboard/')) {
    const error = new Error(`Cannot find module '${request}'`);
    error.code = 'MODULE_NOT_FOUND';
    throw error;
  }
  return resolveFilename.call(this, request, ...rest);
};

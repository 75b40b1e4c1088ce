// Runs the benchmark's TypeScript (and the app's, through test/support/test-app.ts) straight from
// the sources with @swc/core, compiled as jest.config.js compiles it, without Jest: a benchmark
// wants a plain Node process. Node 20.19+ loads the ESM-only packages (NestJS 12, jose) through
// require(esm), as the built app does. `@tms/*` resolves as tsconfig.json's paths say. The code
// carries inline source maps; only a process that calls process.setSourceMapsEnabled(true) pays
// for using them (the app's process does not, like `npm start`).
const { readFileSync } = require('node:fs');
const Module = require('node:module');
const { join, resolve } = require('node:path');
const { transformSync } = require('@swc/core');

const root = resolve(__dirname, '..', '..');
const aliases = {
  '@tms/lti': 'libs/lti/src',
  '@tms/core': 'libs/core/src',
  '@tms/persistence': 'libs/persistence/src',
  '@tms/config': 'libs/config/src',
  '@tms/outbound': 'libs/outbound/src',
  '@tms/migrations': 'migrations',
};

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const alias = Object.hasOwn(aliases, request) ? join(root, aliases[request]) : request;
  return resolveFilename.call(this, alias, ...rest);
};

Module._extensions['.ts'] = function (module, filename) {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    sourceMaps: 'inline',
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};

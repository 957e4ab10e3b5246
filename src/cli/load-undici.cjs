// How the CLI loads undici: scripts/build.js (plugin lazy-undici) points every `import('undici')`
// of the CLI bundle here, and this file, plain CommonJS so that nothing is compiled around it, sets
// one V8 flag and then loads dist/cli-undici.cjs (the part of undici the CLI uses, see
// scripts/undici-cli.cjs). The library (`import 'wxpay-coupon'`) never comes here: it imports
// undici itself and leaves V8 alone.
//
// Why the flag: undici parses HTTP with a WebAssembly module that V8 compiles twice, quickly
// (Liftoff) and then optimised (TurboFan) in the background, and a process cannot exit before
// that background compile ends: ~80 ms on every call that sends a request, for code a one-shot
// run never needs optimised. `--liftoff-only` stops V8 at Liftoff. It must be set before the
// chunk is compiled (the bin's compile cache for the chunk is made under this flag), hence here,
// just before the require. `npm run bench` (the full-call row) shows what it buys.
'use strict';
require('node:v8').setFlagsFromString('--liftoff-only');
module.exports = require('./cli-undici.cjs');

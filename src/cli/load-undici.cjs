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
//
// Why Node's own modules first: once a V8 flag has changed, V8 rejects the code cache Node ships
// for its own modules, and each one loaded afterwards is compiled from source. Loaded before the
// flag, node:http took 1.5 ms instead of 4.4, node:net with node:diagnostics_channel 1.2 instead
// of 3.3 (`node -e` timing each require with and without the flag set first, 5 runs each,
// 2026-12-02, Node 20). undici needs these three in every call (http and diagnostics_channel at
// load, net to connect). node:tls for https (2.9 ms after the flag, 0.75 before) and node:dns
// for a host name (1.3 and 0.7) are loaded by src/transport.ts before it comes here, and only
// when the request needs them.
// test/startup.test.js ('every Node module a request needs …') fails when a call loads one
// after the flag.
'use strict';
require('node:http');
require('node:net');
require('node:diagnostics_channel');
require('node:v8').setFlagsFromString('--liftoff-only');
module.exports = require('./cli-undici.cjs');

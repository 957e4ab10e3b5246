// How the CLI bundle loads the Chinese catalogue: scripts/build.js (plugin lazy-zh-CN) points
// src/i18n/index.ts's `import('./zh-CN/index.js')` here, and this file requires
// dist/cli-zh-CN.cjs, the catalogue built on its own, so that an English run never reads or
// compiles it. The library (`import 'wxpay-coupon'`) imports dist/i18n/zh-CN/index.js itself.
'use strict';
module.exports = require('./cli-zh-CN.cjs');

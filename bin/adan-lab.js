#!/usr/bin/env node
'use strict';
// Thin launcher: the CLI lives in src/cli (compiled to dist/ by `npm install` / `npm run build`).
const path = require('node:path');
const fs = require('node:fs');
const main = path.join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');
if (!fs.existsSync(main)) {
  console.error('adan-lab: the build is missing (dist/). Run `npm install` or `npm run build` in ' + path.join(__dirname, '..'));
  process.exit(2);
}
require(main).main(process.argv.slice(2)).then(
  (code) => process.exit(code ?? 0),
  (err) => {
    console.error(`adan-lab: ${err && err.message ? err.message : err}`);
    if (process.env.ADAN_DEBUG) console.error(err);
    process.exit(1);
  },
);

#!/usr/bin/env node
/*
 * Builds the optional native BLAS addon (native/adan_blas.c -> native/build/Release/adan_blas.node)
 * with node-gyp. Run by `npm install` (scripts.install) and by hand: `node scripts/build-native.js`.
 *
 * This script never fails the install: whatever goes wrong, it prints one line saying why and
 * exits 0; adan-lab then runs on the plain tfjs wasm backend. The full compiler output is kept
 * in native/build/build-native.log.
 *
 * Skipped when ADAN_SKIP_NATIVE=1. Needs a C compiler, make, Python 3 (for node-gyp), Node's
 * headers, and a BLAS: on Debian/Ubuntu `apt-get install libopenblas-dev`; on macOS Accelerate
 * (part of the system, needs the Xcode command-line tools).
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const nativeDir = path.resolve(__dirname, '..', 'native');
const buildDir = path.join(nativeDir, 'build');
const logFile = path.join(buildDir, 'build-native.log');

function done(message) {
  console.log(`adan-lab: ${message}`);
  process.exit(0);
}

/** node-gyp: the one npm passes to lifecycle scripts, else npm's bundled one, else on PATH. */
function findNodeGyp() {
  const candidates = [];
  if (process.env.npm_config_node_gyp) candidates.push(process.env.npm_config_node_gyp);
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  candidates.push(path.join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  candidates.push(path.join(path.dirname(process.execPath), 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  try {
    candidates.push(require.resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    /* not installed locally */
  }
  return candidates.find((p) => fs.existsSync(p));
}

/** Node's own headers when they sit next to the binary (distro packages, official tarballs). */
function findNodeDir() {
  if (process.env.npm_config_nodedir) return process.env.npm_config_nodedir;
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  return fs.existsSync(path.join(prefix, 'include', 'node', 'node_api.h')) ? prefix : undefined;
}

function main() {
  if (process.env.ADAN_SKIP_NATIVE === '1') done('native BLAS addon skipped (ADAN_SKIP_NATIVE=1); using the wasm backend');
  if (process.platform === 'win32') done('native BLAS addon not built (Windows is not supported yet); using the wasm backend');
  const gyp = findNodeGyp();
  if (!gyp) done('native BLAS addon not built (node-gyp not found); using the wasm backend');
  fs.mkdirSync(buildDir, { recursive: true });
  const args = [gyp, 'rebuild'];
  const nodedir = findNodeDir();
  if (nodedir) args.push(`--nodedir=${nodedir}`);
  const started = Date.now();
  const r = spawnSync(process.execPath, args, { cwd: nativeDir, encoding: 'utf8', timeout: 300_000 });
  const output = `${r.stdout ?? ''}\n${r.stderr ?? ''}`;
  try {
    fs.mkdirSync(buildDir, { recursive: true });
    fs.writeFileSync(logFile, `$ node ${args.join(' ')}\n${output}`);
  } catch {
    /* the log is a convenience */
  }
  const built = path.join(buildDir, 'Release', 'adan_blas.node');
  if (r.status !== 0 || !fs.existsSync(built)) {
    done(`native BLAS addon not built (${reason(output, r)}); using the wasm backend. Details: ${logFile}`);
  }
  // Load it once: a missing shared library shows up here, not at link time.
  try {
    const addon = require(built);
    done(`native BLAS addon built in ${((Date.now() - started) / 1000).toFixed(1)} s (${addon.info().split(' ').slice(0, 2).join(' ')})`);
  } catch (e) {
    done(`native BLAS addon built but does not load (${String(e.message).split('\n')[0]}); using the wasm backend`);
  }
}

/** The most telling line of a failed build. */
function reason(output, r) {
  if (r.error) return r.error.message;
  if (/cblas\.h|Accelerate\.h/.test(output) && /No such file|not found/.test(output)) {
    return process.platform === 'darwin' ? 'Accelerate headers missing: install the Xcode command-line tools' : 'cblas.h missing: install libopenblas-dev';
  }
  if (/cannot find -lopenblas/.test(output)) return 'libopenblas missing: install libopenblas-dev';
  if (/not found: make|make: not found|No such file or directory.*make/.test(output)) return 'make not found';
  if (/Could not find any Python|python3?: not found/i.test(output)) return 'Python 3 not found (node-gyp needs it)';
  if (/(cc|gcc|clang|c\+\+|g\+\+): (not found|command not found)/.test(output)) return 'no C compiler';
  const line = output.split('\n').find((l) => /error/i.test(l));
  return line ? line.trim().slice(0, 160) : `node-gyp exited with ${r.status}`;
}

try {
  main();
} catch (e) {
  done(`native BLAS addon not built (${String(e && e.message).split('\n')[0]}); using the wasm backend`);
}

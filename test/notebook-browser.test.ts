/**
 * The real-browser check (scripts/check-browser.ts, `npm run check:browser`) runs in CI's own
 * step, where Chromium and Jupyter Notebook are installed; here only its contract without them:
 * a missing browser is a clear "skipped" (exit 0), or a failure with --require.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { projectRoot } from '../src/data/locate';

const script = path.join(projectRoot, 'dist', 'scripts', 'check-browser.js');

test('check-browser says it is skipped when Chromium is missing, and fails with --require', () => {
  const env = { ...process.env, ADAN_CHROMIUM: '/nonexistent/chromium', ADAN_REQUIRE_BROWSER: '' };
  const skipped = spawnSync(process.execPath, [script], { env, encoding: 'utf8' });
  assert.equal(skipped.status, 0, skipped.stderr);
  assert.match(skipped.stdout, /check:browser skipped: no Chromium at \/nonexistent\/chromium \(Debian: apt-get install chromium/);
  const required = spawnSync(process.execPath, [script, '--require'], { env, encoding: 'utf8' });
  assert.equal(required.status, 1);
  assert.match(required.stdout, /check:browser FAILED: no Chromium/);
});

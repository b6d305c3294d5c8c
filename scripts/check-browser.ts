/**
 * The notebooks as a reader of a fresh clone sees them: start Jupyter Notebook on 127.0.0.1 with
 * a token and an empty trust database (so every notebook is "Not Trusted", as one from git is),
 * open each committed notebook in headless Chromium, and check that every figure output is drawn
 * (rendered images vs the notebook's figure outputs) and every markdown output shows (rendered
 * HTML outputs vs the notebook's markdown outputs). A screenshot per notebook is kept under
 * results/browser-check/ (not in git).
 *
 *   npm run check:browser                      # every notebook in notebooks/
 *   node dist/scripts/check-browser.js notebooks/04-emodb.ipynb
 *
 * Needs Debian's `chromium` and `jupyter-notebook` (apt-get install chromium jupyter-notebook)
 * and the devDependency playwright-core (it drives the system Chromium; no browser download).
 * When one is missing it says so and exits 0 ("skipped"), or 1 with --require (CI).
 * ADAN_CHROMIUM chooses another Chromium binary.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { projectRoot } from '../src/data/locate';
import { findJupyter, registerKernel } from '../src/notebook/jupyter';
import { viewableReport } from '../src/notebook/outputs';
import type { NotebookJson } from '../src/notebook/clean';

/** Chromium flags: headless, no sandbox (containers run as root), nothing that phones home. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** What one notebook showed. */
export interface PageResult {
  notebook: string;
  /** Figure outputs in the file, and images drawn on the page. */
  figures: number;
  images: number;
  /** Markdown outputs in the file, and HTML outputs rendered on the page. */
  markdown: number;
  html: number;
  /** The page's trust indicator ("Not Trusted" expected). */
  trust: string;
  /** Messages of outputs Jupyter refused ("Cannot display ...", "Ignoring untrusted ..."). */
  refused: string[];
  screenshot: string;
  ok: boolean;
}

/** $ADAN_CHROMIUM if set (and nothing else), else Debian's or Ubuntu's Chromium. */
function chromiumPath(): string | undefined {
  const candidates = process.env.ADAN_CHROMIUM ? [process.env.ADAN_CHROMIUM] : ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((p) => fs.existsSync(p));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForServer(url: string, child: ChildProcess, seconds: number): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Jupyter exited with code ${child.exitCode} before it served ${url}`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`Jupyter did not answer ${url} within ${seconds} s`);
}

/** Shut down every kernel the server started (each opened notebook starts one). */
async function stopKernels(base: string, token: string): Promise<void> {
  try {
    const sessions = (await (await fetch(`${base}/api/sessions?token=${token}`)).json()) as { id: string }[];
    for (const s of sessions) await fetch(`${base}/api/sessions/${s.id}?token=${token}`, { method: 'DELETE' });
  } catch {
    // the server is going away anyway
  }
}

interface PlaywrightPage {
  goto(url: string, options?: object): Promise<unknown>;
  waitForFunction(fn: string, arg?: unknown, options?: object): Promise<unknown>;
  evaluate<T>(fn: string): Promise<T>;
  screenshot(options: object): Promise<unknown>;
  close(): Promise<void>;
  setViewportSize(size: { width: number; height: number }): Promise<void>;
}
interface PlaywrightContext {
  newPage(): Promise<PlaywrightPage>;
  close(): Promise<void>;
}
interface Playwright {
  chromium: { launchPersistentContext(dir: string, options: object): Promise<PlaywrightContext> };
}

/** Counted in the page: images drawn in output areas, rendered HTML outputs, the trust label, refusals. */
const COUNT_IN_PAGE = `(() => {
  const out = document.querySelectorAll('.output_area, .jp-OutputArea-child');
  let images = 0, html = 0;
  const refused = [];
  for (const area of out) {
    for (const img of area.querySelectorAll('img')) if (img.complete && img.naturalWidth > 0) images++;
    if (area.querySelector('.output_html, .jp-RenderedHTMLCommon:not(.jp-RenderedMarkdown)')) html++;
    const t = area.textContent || '';
    const m = /Cannot display[^\\n.]*|Ignoring untrusted[^\\n.]*/.exec(t);
    if (m) refused.push(m[0]);
  }
  const trust = (document.querySelector('#notification_trusted') || {}).textContent || '';
  return { images, html, trust: trust.trim(), refused };
})()`;

async function checkNotebook(ctx: PlaywrightContext, base: string, token: string, file: string, shots: string): Promise<PageResult> {
  const nb = JSON.parse(fs.readFileSync(file, 'utf8')) as NotebookJson;
  const expected = viewableReport(nb);
  const name = path.basename(file);
  const page = await ctx.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  try {
    await page.goto(`${base}/notebooks/${encodeURIComponent(name)}?token=${token}`, { waitUntil: 'load', timeout: 60_000 });
    // every cell laid out, then every image in an output area decoded (or 30 s)
    await page.waitForFunction(`document.querySelectorAll('.cell, .jp-Cell').length >= ${nb.cells.length}`, undefined, { timeout: 60_000 });
    await page
      .waitForFunction(`[...document.querySelectorAll('.output_area img, .jp-OutputArea-child img')].filter((i) => i.complete && i.naturalWidth > 0).length >= ${expected.figures}`, undefined, { timeout: 30_000 })
      .catch(() => undefined);
    const seen = await page.evaluate<{ images: number; html: number; trust: string; refused: string[] }>(COUNT_IN_PAGE);
    // the classic Notebook scrolls inside #site: let it grow so the full-page screenshot holds every cell
    await page.evaluate(`(() => { for (const el of [document.documentElement, document.body, document.querySelector('#site')]) if (el) { el.style.height = 'auto'; el.style.overflow = 'visible'; } })()`);
    const screenshot = path.join(shots, name.replace(/\.ipynb$/, '.png'));
    await page.screenshot({ path: screenshot, fullPage: true });
    const ok = seen.images === expected.figures && seen.html >= expected.markdown && seen.refused.length === 0;
    return { notebook: name, figures: expected.figures, images: seen.images, markdown: expected.markdown, html: seen.html, trust: seen.trust, refused: seen.refused, screenshot, ok };
  } finally {
    await page.close();
    await stopKernels(base, token);
  }
}

async function main(argv: string[]): Promise<number> {
  const require_ = argv.includes('--require') || process.env.ADAN_REQUIRE_BROWSER === '1';
  const args = argv.filter((a) => a !== '--require');
  const skip = (why: string): number => {
    console.log(`check:browser ${require_ ? 'FAILED' : 'skipped'}: ${why}`);
    return require_ ? 1 : 0;
  };
  const chromium = chromiumPath();
  if (!chromium) return skip(`no Chromium at ${process.env.ADAN_CHROMIUM ?? '/usr/bin/chromium'} (Debian: apt-get install chromium; or set ADAN_CHROMIUM)`);
  const jupyter = findJupyter();
  if (!jupyter || !jupyter.server) return skip('no Jupyter Notebook server (Debian: apt-get install jupyter-notebook)');
  let playwright: Playwright;
  try {
    playwright = require('playwright-core') as Playwright;
  } catch {
    return skip('playwright-core is not installed (npm install: it is a devDependency)');
  }
  const dir = path.join(projectRoot, 'notebooks');
  const files = (args.length > 0 ? args : fs.readdirSync(dir).filter((f) => /^\d.*\.ipynb$/.test(f)).sort().map((f) => path.join(dir, f))).map((f) => path.resolve(f));
  const shots = path.join(projectRoot, 'results', 'browser-check');
  fs.mkdirSync(shots, { recursive: true });

  // the notebooks as a clone has them, in a folder of their own; the kernel they name registered
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'adan-browser-'));
  const served = path.join(tmp, 'notebooks');
  fs.mkdirSync(served);
  for (const f of files) fs.copyFileSync(f, path.join(served, path.basename(f)));
  registerKernel(jupyter.python);
  const token = randomBytes(16).toString('hex');
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const serverArgs = ['-m', jupyter.server === 'lab' ? 'jupyterlab' : 'notebook', `--notebook-dir=${served}`, '--ip=127.0.0.1', `--port=${port}`, '--no-browser',
    `--NotebookApp.token=${token}`, `--ServerApp.token=${token}`, `--IdentityProvider.token=${token}`,
    // an empty trust database: every notebook is untrusted, as a fresh clone's is
    '--NotebookNotary.db_file=:memory:', ...(process.getuid?.() === 0 ? ['--allow-root'] : [])];
  const server = spawn(jupyter.python, serverArgs, { cwd: served, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, JUPYTER_RUNTIME_DIR: path.join(tmp, 'runtime') } });
  let serverLog = '';
  server.stderr!.setEncoding('utf8');
  server.stderr!.on('data', (c: string) => (serverLog = (serverLog + c).slice(-20_000)));
  let ctx: PlaywrightContext | undefined;
  const results: PageResult[] = [];
  try {
    await waitForServer(`${base}/api/status?token=${token}`, server, 60);
    console.log(`check:browser: Jupyter (${jupyter.server}, ${jupyter.python}) on ${base}, Chromium ${chromium}, ${files.length} notebooks`);
    ctx = await playwright.chromium.launchPersistentContext(path.join(tmp, 'chromium-profile'), { executablePath: chromium, headless: true, args: CHROMIUM_ARGS });
    for (const f of files) {
      const start = Date.now();
      const r = await checkNotebook(ctx, base, token, f, shots);
      results.push(r);
      console.log(`  ${r.ok ? 'ok    ' : 'FAILED'} ${r.notebook}: ${r.images}/${r.figures} figures drawn, ${r.html}/${r.markdown} markdown outputs as HTML, "${r.trust || '?'}"${r.refused.length ? `, refused: ${r.refused.join('; ')}` : ''} (${((Date.now() - start) / 1000).toFixed(1)} s; ${path.relative(projectRoot, r.screenshot)})`);
    }
  } catch (err) {
    console.error(`check:browser: ${(err as Error).message}\n--- Jupyter's log (last lines) ---\n${serverLog.split('\n').slice(-20).join('\n')}`);
    return 1;
  } finally {
    await ctx?.close().catch(() => undefined);
    server.kill('SIGTERM');
    await new Promise((r) => (server.exitCode !== null ? r(undefined) : server.once('exit', r)));
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const failed = results.filter((r) => !r.ok);
  console.log(`check:browser: ${results.length - failed.length} of ${results.length} notebooks show every figure and table without being trusted; screenshots in ${path.relative(projectRoot, shots)}/`);
  return failed.length > 0 ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err: Error) => {
      console.error(err.stack ?? String(err));
      process.exitCode = 1;
    },
  );
}

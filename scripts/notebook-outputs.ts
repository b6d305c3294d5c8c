/**
 * Make the committed notebooks' outputs visible without trusting the notebook, without
 * re-executing anything: every figure that holds only an SVG gets the PNG rendered from that
 * SVG (resvg, as `show()` renders it), every markdown output its HTML and plain text
 * (src/notebook/outputs.ts). Jupyter hides an untrusted notebook's SVG and markdown outputs,
 * and every notebook from git is untrusted.
 *
 *   npm run build && node dist/scripts/notebook-outputs.js [--check] [notebooks/*.ipynb]
 *
 * With --check nothing is written: it lists what an untrusted viewer would hide and exits 1 if
 * anything is. Without file arguments it takes every notebook in notebooks/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../src/data/locate';
import { cleanNotebook, type NotebookJson } from '../src/notebook/clean';
import { viewableNotebook, viewableReport } from '../src/notebook/outputs';

async function main(argv: string[]): Promise<number> {
  const check = argv.includes('--check');
  const args = argv.filter((a) => a !== '--check');
  const unknown = args.filter((a) => a.startsWith('--'));
  if (unknown.length > 0) {
    console.error(`notebook-outputs: unknown option ${unknown[0]} (usage: node dist/scripts/notebook-outputs.js [--check] [NOTEBOOK.ipynb ...])`);
    return 2;
  }
  const dir = path.join(projectRoot, 'notebooks');
  const files = args.length > 0 ? args : fs.readdirSync(dir).filter((f) => f.endsWith('.ipynb')).sort().map((f) => path.join(dir, f));
  let hidden = 0;
  for (const file of files) {
    const before = fs.readFileSync(file, 'utf8');
    const nb = JSON.parse(before) as NotebookJson;
    const r = viewableReport(nb);
    const missing = r.figuresWithoutPng.length + r.markdownWithoutHtml.length;
    const name = path.relative(process.cwd(), file);
    if (check) {
      hidden += missing;
      console.log(`${name}: ${r.figures} figures (${r.figuresWithoutPng.length} without PNG), ${r.markdown} markdown outputs (${r.markdownWithoutHtml.length} without HTML)`);
      continue;
    }
    const { notebook, pngsAdded, htmlAdded } = await viewableNotebook(nb);
    const after = JSON.stringify(cleanNotebook(notebook), null, 1) + '\n';
    if (after !== before) fs.writeFileSync(file, after);
    console.log(`${name}: ${pngsAdded} PNGs and ${htmlAdded} HTML copies added (${r.figures} figures, ${r.markdown} markdown outputs)`);
  }
  if (check && hidden > 0) {
    console.log(`${hidden} outputs are hidden from an untrusted notebook: run node dist/scripts/notebook-outputs.js`);
    return 1;
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err: Error) => {
    console.error(err.stack ?? String(err));
    process.exitCode = 1;
  },
);

// Browser tests of the web front end against a running server (`ejournal serve`, or the Go test
// TestWebBrowser in cmd/ejournal, which `make test` runs): the journal scenario (web/tests/journal.mjs),
// then every screen scenario in web/tests/screens/*.mjs, in name order. Each scenario is
// `export default async function (ctx)` with ctx from lib.mjs.
//
//   BASE_URL=http://127.0.0.1:18081 node web/tests/run.mjs [name …]   # names: journal, screens' file names
//
// Screenshots go to OUT_DIR (test-output/web).
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { start } from './lib.mjs';

const base = (process.env.BASE_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
const out = process.env.OUT_DIR ?? 'test-output/web';
const only = process.argv.slice(2);
const here = fileURLToPath(new URL('.', import.meta.url));

const scenarios = [['journal', './journal.mjs'], ...readdirSync(here + 'screens').filter((f) => f.endsWith('.mjs')).sort().map((f) => [f.replace(/\.mjs$/, ''), `./screens/${f}`])]
  .filter(([name]) => only.length === 0 || only.includes(name));

const ctx = await start({ base, out });
let failed = false;
try {
  for (const [name, file] of scenarios) {
    console.log(`# ${name}`);
    const t0 = Date.now();
    await (await import(file)).default(ctx);
    console.log(`# ${name}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
} catch (e) {
  failed = true;
  console.error(e);
} finally {
  await ctx.finish().catch((e) => {
    failed = true;
    console.error(e);
  });
}
process.exit(failed ? 1 : 0);

// Prints the gzipped size of what the first screen loads: the JS and CSS that web/dist/index.html refers to
// (the entry module, its modulepreloads and stylesheets). Lazily loaded screens are not counted.
//   node web/scripts/size.mjs [web/dist]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = process.argv[2] ?? 'web/dist';
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const files = [...new Set([...html.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]))];
let total = 0;
for (const f of files) {
  const n = gzipSync(readFileSync(join(dist, f)), { level: 9 }).length;
  total += n;
  console.log(`  ${f}: ${n} bytes gzipped`);
}
console.log(`web front end, JS + CSS of the first screen, gzipped: ${total} bytes (${files.length} files; limit 102400)`);
if (total > 100 * 1024) process.exit(1);

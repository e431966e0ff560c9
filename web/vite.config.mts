// Vite configuration of the ejournal front end (see README.md).
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

// The API the dev and preview servers forward /v1 to (the Go server of `ejournal serve`).
const api = process.env.EJOURNAL_API ?? 'http://127.0.0.1:8080';
const proxy = { '/v1': { target: api, changeOrigin: false }, '/healthz': { target: api } };

// serviceWorker emits sw.js with the list of the built files, so the app shell is cached on install
// and a new build (new hashes) replaces the old cache.
function serviceWorker(): Plugin {
  return {
    name: 'ejournal-service-worker',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = ['./', 'config.json', 'manifest.webmanifest', 'icon.svg', 'icon-192.png', 'icon-512.png',
        'icon-maskable-512.png', 'apple-touch-icon.png', ...Object.keys(bundle)]
        .filter((f) => !f.endsWith('.map'));
      const version = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 12);
      const source = readFileSync(here + 'src/sw.js', 'utf8')
        .replace('__VERSION__', version)
        .replace('__FILES__', JSON.stringify(files));
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
    },
  };
}

export default defineConfig({
  root: here,
  base: './',
  plugins: [serviceWorker()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: false },
  server: { host: '127.0.0.1', proxy },
  preview: { host: '127.0.0.1', proxy },
});

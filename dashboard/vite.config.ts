// The dashboard's build: every page under pages/ is an entry; the output in dist/ is what the API
// serves (plugin.ts). `npm install` builds it (the `prepare` script); so does the test suite.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vite';

const pages = join(import.meta.dirname, 'pages');

export default defineConfig({
  root: pages,
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: join(import.meta.dirname, 'dist'),
    emptyOutDir: true,
    // The pages run under a strict Content-Security-Policy: no inline script or style, ever.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rolldownOptions: {
      input: Object.fromEntries(
        readdirSync(pages)
          .filter((file) => file.endsWith('.html'))
          .map((file) => [file.replace(/\.html$/, ''), join(pages, file)]),
      ),
    },
  },
});

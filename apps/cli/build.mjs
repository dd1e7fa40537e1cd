// Bundles the CLI and every dependency into one file that runs with plain `node`.
import { chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const outfile = join(here, 'dist', 'serfbort.mjs');

await build({
  entryPoints: [join(here, 'src', 'main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  legalComments: 'none',
  minify: true,
  keepNames: true,
  sourcemap: false,
  logLevel: 'warning',
  // CommonJS dependencies (commander, cli-table3, socket.io-client's deps) call require():
  // an ESM bundle has none unless we create it
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __serfbortCreateRequire } from 'node:module';\nconst require = __serfbortCreateRequire(import.meta.url);",
  },
});
chmodSync(outfile, 0o755);
console.log(`built ${outfile}`);

// One self-contained file: copy it and a config to a host, run it with plain Node 20.
import { chmodSync } from 'node:fs';
import { build } from 'esbuild';

const outfile = new URL('./dist/serfbort-agent.mjs', import.meta.url).pathname;

await build({
  entryPoints: [new URL('./src/main.ts', import.meta.url).pathname],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  minify: false,
  sourcemap: false,
  legalComments: 'none',
  // CommonJS dependencies bundled into ESM still call require() for Node built-ins
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __serfbortCreateRequire } from 'node:module';\nconst require = __serfbortCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
chmodSync(outfile, 0o755);
console.log(`built ${outfile}`);

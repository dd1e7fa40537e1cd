// The hub as one file: our workspace code bundled, npm packages left to node_modules
// (PGlite ships wasm and data files that must stay beside its own code).
import { chmodSync, cpSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const dist = new URL('./dist/', import.meta.url).pathname;
const outfile = `${dist}serfbort-hub.mjs`;

/** Bare imports are npm packages (external) unless they are ours. */
const externalNpm = {
  name: 'external-npm',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@serfbort/') ? undefined : { path: args.path, external: true },
    );
  },
};

await build({
  entryPoints: [new URL('./src/main.ts', import.meta.url).pathname],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: false,
  legalComments: 'none',
  plugins: [externalNpm],
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
});
chmodSync(outfile, 0o755);
// migrations are read at start from beside the bundle
rmSync(`${dist}migrations`, { recursive: true, force: true });
cpSync(new URL('./src/db/migrations', import.meta.url).pathname, `${dist}migrations`, {
  recursive: true,
});
console.log(`built ${outfile}`);

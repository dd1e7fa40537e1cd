#!/usr/bin/env node
// Takes one demo host down or brings it back while `npm start` runs:
//   node scripts/demo-host.mjs stop weba | start weba | hosts
// It talks to the running demo over .serfbort-demo/control.sock (SERFBORT_DEMO_DIR moves it).
import { connect } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;
const demoDir = resolve(env.SERFBORT_DEMO_DIR ?? join(repo, '.serfbort-demo'));
const line = process.argv.slice(2).join(' ') || 'hosts';

const socket = connect(join(demoDir, 'control.sock'));
socket.on('error', () => {
  console.error(`demo-host: no demo is running in ${demoDir} (start it with \`npm start\`)`);
  process.exit(2);
});
let answer = '';
socket.setEncoding('utf8').on('data', (chunk) => {
  answer += chunk;
});
socket.on('end', () => {
  process.stdout.write(answer);
  process.exitCode = answer.startsWith('usage:') ? 2 : 0;
});
socket.write(`${line}\n`);

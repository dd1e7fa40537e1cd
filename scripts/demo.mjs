#!/usr/bin/env node
// `npm start`: a whole serfbort on this machine, on the embedded database —
// a hub, the dashboard, and three demo agents (weba, webb, canary) whose "app" is a
// directory with a real deploy script and a real version-report command.
//
// The demo administrator's root key is created here, in .serfbort-demo/admin, and never
// leaves it: the hub only ever receives signed documents.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const env = process.env;
const demoDir = resolve(env.SERFBORT_DEMO_DIR ?? join(repo, '.serfbort-demo'));
const controlPath = join(demoDir, 'control.sock');
const hubPort = Number(env.SERFBORT_DEMO_HUB_PORT ?? 7700);
const webPort = Number(env.SERFBORT_DEMO_WEB_PORT ?? 3000);
const passphrase = env.SERFBORT_DEMO_PASSPHRASE ?? 'demo';
const withWeb = !args.has('--no-web');
const hubUrl = `http://127.0.0.1:${hubPort}`;
const webUrl = `http://127.0.0.1:${webPort}`;

const bin = {
  hub: join(repo, 'apps/hub/dist/serfbort-hub.mjs'),
  agent: join(repo, 'apps/agent/dist/serfbort-agent.mjs'),
  cli: join(repo, 'apps/cli/dist/serfbort.mjs'),
};
for (const [name, path] of Object.entries(bin)) {
  if (!existsSync(path)) {
    console.error(
      `demo: ${name} is not built (${path}); run \`npm run build\` first (npm start does).`,
    );
    process.exit(2);
  }
}

const children = [];
let stopping = false;

function start(name, command, argv, options = {}) {
  const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  const tag = `[${name}]`.padEnd(9);
  const relay = (stream, out) => {
    let rest = '';
    stream.setEncoding('utf8').on('data', (chunk) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.trim()) continue;
        keepFingerprint(name, line);
        out.write(`${tag} ${summarize(line)}\n`);
      }
    });
  };
  relay(child.stdout, process.stdout);
  relay(child.stderr, process.stderr);
  child.on('exit', (code, signal) => {
    if (stopping) return;
    // a host going down is something to try out (offline delivery, drift); the hub or the
    // dashboard going down ends the demo
    if (hostNames.includes(name)) {
      console.error(`${tag} stopped (${signal ?? code}); \`start ${name}\` brings it back`);
      return;
    }
    console.error(`${tag} exited (${signal ?? code}); stopping the demo`);
    void stopAll(1);
  });
  const index = children.findIndex((c) => c.name === name);
  if (index >= 0) children.splice(index, 1);
  children.push({ name, child });
  return child;
}

/**
 * A demo host's agent prints its key's fingerprint (at key creation and while it waits
 * for approval); the demo keeps the agent's own word in hosts/NAME/fingerprint, where
 * the README's quickstart reads it, as an operator reads it off the host's console.
 */
function keepFingerprint(name, line) {
  if (!hostNames.includes(name)) return;
  try {
    const { fingerprint } = JSON.parse(line);
    if (typeof fingerprint === 'string' && /^[0-9a-f-]{8,64}$/.test(fingerprint))
      writeFileSync(join(demoDir, 'hosts', name, 'fingerprint'), `${fingerprint}\n`);
  } catch {
    // not a JSON log line
  }
}

/** pino JSON lines become one short human line. */
function summarize(line) {
  try {
    const l = JSON.parse(line);
    const level = { 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' }[l.level] ?? '';
    const extra = ['event', 'fingerprint', 'requestId', 'reason', 'status', 'url']
      .filter((k) => l[k] !== undefined)
      .map((k) => `${k}=${typeof l[k] === 'string' ? l[k] : JSON.stringify(l[k])}`)
      .join(' ');
    return `${level} ${l.msg ?? ''} ${extra}`.trim();
  } catch {
    return line;
  }
}

function waitFor(child, pattern, timeoutMs) {
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`timed out waiting for ${pattern}`)),
      timeoutMs,
    );
    const on = (chunk) => {
      if (pattern.test(String(chunk))) {
        clearTimeout(timer);
        child.stdout.off('data', on);
        resolvePromise();
      }
    };
    child.stdout.on('data', on);
  });
}

async function stopAll(code = 0) {
  stopping = true;
  // agents first, so they say goodbye to a hub that is still there
  for (const group of [hostNames, ['web'], ['hub']]) {
    await Promise.all(
      children
        .filter((c) => group.includes(c.name) && c.child.exitCode === null)
        .map(
          (c) =>
            new Promise((r) => {
              c.child.once('exit', r);
              c.child.kill('SIGTERM');
              setTimeout(() => c.child.kill('SIGKILL'), 10_000).unref();
            }),
        ),
    );
  }
  rmSync(controlPath, { force: true });
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

// The administrator's offline corner: a root key (passphrase-protected) and root v1.
const admin = join(demoDir, 'admin');
mkdirSync(admin, { recursive: true });
if (!existsSync(join(admin, 'root.json'))) {
  const cli = (argv) => {
    const r = spawnSync(process.execPath, [bin.cli, ...argv], {
      cwd: admin,
      env: { ...env, SERFBORT_PASSPHRASE: passphrase },
      encoding: 'utf8',
    });
    if (r.status !== 0) {
      console.error(`demo: serfbort ${argv.join(' ')} failed:\n${r.stderr}`);
      process.exit(1);
    }
  };
  cli(['key', 'generate', '--out', 'root.key.json', '--name', 'demo-root']);
  cli(['trust', 'init', '--root-key', 'root.key.json', '--out', 'root.json']);
  console.log(`demo: created the root of trust in ${admin} (root key passphrase: ${passphrase})`);
}

// Three hosts, each with an app directory, a deploy script and a version-report command.
const DEPLOY = `#!/bin/sh
# the demo's deploy step: a real script, run without a shell-interpreted version
set -eu
echo "fetching $1"
sleep 1
echo "switching to $1"
printf '%s\\n' "$1" > VERSION
echo "deployed $1"
`;
// the demo's health gate: a version with "broken" in its name deploys, then fails its health check
const HEALTH = `#!/bin/sh
case "$(cat VERSION)" in
  *broken*) echo "GET /healthz: 503" >&2; exit 1 ;;
esac
echo "GET /healthz: 200"
`;
const hosts = [
  { name: 'weba', labels: ['role=web'] },
  { name: 'webb', labels: ['role=web'] },
  { name: 'canary', labels: ['role=web', 'canary'] },
];
const hostNames = hosts.map((h) => h.name);
// the artifact store of the `site` app: releases are fetched from here and verified
const artifacts = join(demoDir, 'artifacts', 'site');
mkdirSync(artifacts, { recursive: true });
for (const h of hosts) {
  const home = join(demoDir, 'hosts', h.name);
  const app = join(home, 'app');
  mkdirSync(app, { recursive: true });
  writeFileSync(join(app, 'deploy.sh'), DEPLOY);
  chmodSync(join(app, 'deploy.sh'), 0o755);
  writeFileSync(join(app, 'health.sh'), HEALTH);
  chmodSync(join(app, 'health.sh'), 0o755);
  if (!existsSync(join(app, 'VERSION'))) writeFileSync(join(app, 'VERSION'), 'v1\n');
  const config = [
    '# demo agent; see apps/agent/agent.example.yaml for every field',
    `hub: ${hubUrl}`,
    `name: ${h.name}`,
    `labels: [${h.labels.map((l) => JSON.stringify(l)).join(', ')}]`,
    'trust:',
    `  root: ${JSON.stringify(join(admin, 'root.json'))}`,
    'stateDir: state',
    'reconnectMax: 5s',
    'presenceInterval: 10s',
    'apps:',
    '  web:',
    '    deploy: ["./deploy.sh", "{version}"]',
    '    version: ["cat", "VERSION"]',
    '    cwd: app',
    '    timeout: 2m',
    '    healthCheck: { command: ["./health.sh"], retries: 1, interval: 1s, timeout: 5s }',
    '  site:',
    '    release:',
    `      url: ${JSON.stringify(join(artifacts, '{version}.tar.gz'))}`,
    '      dir: site',
    '      keep: 3',
    '',
  ].join('\n');
  writeFileSync(join(home, 'agent.yaml'), config);
}

console.log(`demo: data in ${demoDir}`);
const hub = start('hub', process.execPath, [
  bin.hub,
  'run',
  '--port',
  String(hubPort),
  '--data',
  join(demoDir, 'hub'),
  '--origins',
  `${webUrl},http://localhost:${webPort}`,
]);
await waitFor(hub, /"listening"|listening/, 60_000);

if (withWeb) {
  const web = start(
    'web',
    process.execPath,
    [
      join(repo, 'node_modules/next/dist/bin/next'),
      'start',
      '-H',
      '127.0.0.1',
      '-p',
      String(webPort),
    ],
    {
      cwd: join(repo, 'apps/web'),
      env: { ...env, SERFBORT_HUB: hubUrl },
    },
  );
  await waitFor(web, /Ready|started server|Local:/i, 60_000);
}

const running = (name) => children.some((c) => c.name === name && c.child.exitCode === null);
function startHost(name) {
  start(
    name,
    process.execPath,
    [bin.agent, 'run', '--config', join(demoDir, 'hosts', name, 'agent.yaml')],
    { cwd: join(demoDir, 'hosts', name) },
  );
}
for (const name of hostNames) startHost(name);

/** `stop weba`, `start weba`, `hosts`: from this terminal or from scripts/demo-host.mjs. */
function command(line) {
  const [verb, name] = line.trim().split(/\s+/);
  if (verb === 'hosts' || verb === 'status')
    return hostNames.map((n) => `${n}: ${running(n) ? 'running' : 'stopped'}`).join('\n');
  if ((verb !== 'start' && verb !== 'stop') || !hostNames.includes(name ?? ''))
    return `usage: stop|start ${hostNames.join('|')}, or hosts`;
  if (verb === 'start') {
    if (running(name)) return `${name} is already running`;
    startHost(name);
    return `${name} started`;
  }
  const entry = children.find((c) => c.name === name && c.child.exitCode === null);
  if (!entry) return `${name} is not running`;
  entry.child.kill('SIGTERM');
  return `${name} stopping (it says goodbye to the hub first)`;
}
rmSync(controlPath, { force: true });
createServer((socket) => {
  socket.setEncoding('utf8').once('data', (line) => socket.end(`${command(line)}\n`));
}).listen(controlPath);
if (process.stdin.isTTY)
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line.trim()) console.log(command(line));
  });

console.log(`
serfbort demo is running${withWeb ? `\n  dashboard  ${webUrl}` : ''}
  hub        ${hubUrl}
  agents     weba, webb (role=web), canary (role=web, canary) — waiting for approval
  root key   ${join(admin, 'root.key.json')} (passphrase "${passphrase}"; never sent to the hub)

Next: follow "Your first deploy" in README.md. Ctrl-C stops everything.
Take a host down and back (offline delivery, drift): type \`stop weba\` / \`start weba\` here,
or from another terminal: node scripts/demo-host.mjs stop weba
`);

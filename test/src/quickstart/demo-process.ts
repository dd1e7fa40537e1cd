import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '../../..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** `node scripts/demo.mjs` (what `npm start` runs after building), in its own directory and ports. */
export class DemoProcess {
  readonly child: ChildProcess;
  output = '';

  constructor(
    readonly dir: string,
    readonly hubPort: number,
    args: string[] = ['--no-web'],
    webPort?: number,
    env: NodeJS.ProcessEnv = {},
  ) {
    this.child = spawn(process.execPath, [join(REPO, 'scripts/demo.mjs'), ...args], {
      cwd: REPO,
      env: {
        ...process.env,
        SERFBORT_DEMO_DIR: dir,
        SERFBORT_DEMO_HUB_PORT: String(hubPort),
        ...(webPort ? { SERFBORT_DEMO_WEB_PORT: String(webPort) } : {}),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (d: Buffer) => {
      this.output += d.toString();
    };
    this.child.stdout!.on('data', collect);
    this.child.stderr!.on('data', collect);
  }

  /** Waits until `count` matches of `pattern` have been printed. */
  async waitFor(pattern: RegExp, count = 1, timeoutMs = 90_000): Promise<void> {
    const started = Date.now();
    const global = new RegExp(pattern.source, 'g');
    while ((this.output.match(global)?.length ?? 0) < count) {
      if (this.child.exitCode !== null)
        throw new Error(`demo exited ${this.child.exitCode}:\n${this.output}`);
      if (Date.now() - started > timeoutMs)
        throw new Error(`timed out waiting for ${pattern}:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    const exited = new Promise<number | null>((r) => this.child.once('exit', (code) => r(code)));
    this.child.kill('SIGTERM');
    return exited;
  }
}

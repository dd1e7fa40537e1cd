import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { BUNDLES } from '@serfbort/testkit';

const HUB_BUNDLE = BUNDLES.hub;

/** A fresh hub data directory, copied from a migrated template (initdb takes seconds). */
export { freshHubDataDir } from '@serfbort/testkit/hub';

/** `serfbort-hub run` as its own process, so a test can SIGKILL it. */
export class HubProcess {
  child!: ChildProcess;
  url = '';
  port = 0;
  output = '';

  private constructor(readonly dataDir: string) {}

  static async start(dataDir: string, port = 0, extraArgs: string[] = []): Promise<HubProcess> {
    const hub = new HubProcess(dataDir);
    await hub.spawn(port, extraArgs);
    return hub;
  }

  private spawn(port: number, extraArgs: string[]): Promise<void> {
    this.child = spawn(
      process.execPath,
      [
        HUB_BUNDLE,
        'run',
        '--port',
        String(port),
        '--data',
        this.dataDir,
        '--log-level',
        'info',
        ...extraArgs,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`hub did not start:\n${this.output}`)),
        60_000,
      );
      const onData = (d: Buffer) => {
        this.output += d.toString();
        const m = /"url":"(http:\/\/127\.0\.0\.1:(\d+))"/.exec(this.output);
        if (m) {
          clearTimeout(timer);
          this.url = m[1]!;
          this.port = Number(m[2]);
          resolve();
        }
      };
      this.child.stdout!.on('data', onData);
      this.child.stderr!.on('data', (d: Buffer) => {
        this.output += d.toString();
      });
      this.child.once('exit', (code) => {
        clearTimeout(timer);
        if (!this.url) reject(new Error(`hub exited ${code}:\n${this.output}`));
      });
    });
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill(signal);
    await exited;
  }

  /** Starts the hub again on the same port and data directory. */
  async restart(): Promise<void> {
    await this.kill('SIGTERM');
    this.url = '';
    this.output = '';
    await this.spawn(this.port, []);
  }

  async respawn(): Promise<void> {
    this.url = '';
    this.output = '';
    await this.spawn(this.port, []);
  }
}

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandUnknownOpts } from '@commander-js/extra-typings';
import { BUNDLE, errorCode, runCli, scratchDir } from '@serfbort/testkit/cli';
import { afterAll, describe, expect, it } from 'vitest';
import { buildProgram } from './program.js';

const home = scratchDir();
afterAll(() => home.remove());
const run = (args: string[], env: Record<string, string | undefined> = {}) =>
  runCli(args, { cwd: home.dir, env: { SERFBORT_PASSPHRASE: 'pw', ...env } });

/** Runs the CLI with its stdout already closed by the reader, as `serfbort … | head -1` does. */
function runIntoClosedPipe(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [BUNDLE, ...args], {
    cwd: home.dir,
    env: { PATH: process.env.PATH ?? '', HOME: home.dir, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // gone before the CLI has started: its first write meets EPIPE
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

describe('output into a pipe whose reader stopped (| head -1)', () => {
  it.each([[['--help']], [['completion', 'bash']], [['deploy', '--help']]])(
    '%j exits 0 quietly, with no EPIPE stack trace',
    async (args) => {
      const r = await runIntoClosedPipe(args);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    },
  );
});

describe('XDG_CONFIG_HOME', () => {
  it('is where the key, root and config file are looked for', async () => {
    const xdg = join(home.dir, 'xdg');
    const r = await run(['key', 'generate', '--json'], { XDG_CONFIG_HOME: xdg });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ path: join(xdg, 'serfbort', 'operator.key.json') });
    writeFileSync(join(xdg, 'serfbort', 'config.json'), JSON.stringify({ hub: 'ftp://nope' }));
    const bad = await run(['trust', 'show'], { XDG_CONFIG_HOME: xdg });
    expect(errorCode(bad)).toBe('BAD_HUB_URL');
  });

  it('falls back to ~/.config/serfbort without it (or with a relative one, as the spec says)', async () => {
    const r = await run(['key', 'generate', '--json'], { XDG_CONFIG_HOME: 'relative/dir' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({
      path: join(home.dir, '.config', 'serfbort', 'operator.key.json'),
    });
  });
});

describe('HUB_UNREACHABLE', () => {
  it('names each URL tried with its cause, and where the URL is set', async () => {
    const r = await run(['trust', 'show'], {
      SERFBORT_HUB: 'http://127.0.0.1:1,http://127.0.0.1:2',
    });
    expect(r.code).toBe(1);
    expect(errorCode(r)).toBe('HUB_UNREACHABLE');
    expect(r.stderr).toContain('http://127.0.0.1:1: websocket error: connect ECONNREFUSED');
    expect(r.stderr).toContain('http://127.0.0.1:2');
    expect(r.stderr).toContain('--hub');
    expect(r.stderr).toContain('SERFBORT_HUB');
  });
});

describe('--json', () => {
  const leaves = (cmd: CommandUnknownOpts, path: string[] = []): [string, CommandUnknownOpts][] => {
    const subs = cmd.commands.filter((c) => c.name() !== 'help') as CommandUnknownOpts[];
    if (subs.length === 0) return [[path.join(' '), cmd]];
    return subs.flatMap((c) => leaves(c, [...path, c.name()]));
  };
  // a completion script is for a shell, not a document
  const commands = leaves(buildProgram() as unknown as CommandUnknownOpts).filter(
    ([name]) => name !== 'completion',
  );

  it.each(commands)('serfbort %s accepts --json', (_name, cmd) => {
    expect(cmd.options.map((o) => o.long)).toContain('--json');
  });
});

const shellThere = (shell: string) =>
  ['/bin', '/usr/bin', '/usr/local/bin'].some((d) => existsSync(join(d, shell)));

describe('serfbort completion', () => {
  it('bash: completes commands, subcommands, their options and option values', async () => {
    const r = await run(['completion', 'bash']);
    expect(r.code).toBe(0);
    const script = join(home.dir, 'serfbort.bash');
    writeFileSync(script, r.stdout);
    const complete = (...words: string[]) =>
      execFileSync(
        'bash',
        [
          '-c',
          `source "$0"; COMP_WORDS=("$@"); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _serfbort; printf '%s\\n' "\${COMPREPLY[@]}"`,
          script,
          ...words,
        ],
        { cwd: home.dir, encoding: 'utf8' },
      )
        .split('\n')
        .filter(Boolean);
    expect(complete('serfbort', 'ro')).toEqual(['rollout', 'rollback']);
    expect(complete('serfbort', '--hub', 'x', 'trust', 'ro')).toEqual(['rotate-root']);
    expect(complete('serfbort', 'trust', 'init', '--root-')).toEqual([
      '--root-key',
      '--root-pubkey',
    ]);
    expect(complete('serfbort', 'deploy', 'shop', '--ho')).toEqual(['--hosts']);
    expect(complete('serfbort', 'sign', '--out', 'serfbort.b')).toEqual(['serfbort.bash']);
  });

  it.runIf(shellThere('zsh'))('zsh: the script loads and completes subcommands', async () => {
    const r = await run(['completion', 'zsh']);
    const script = join(home.dir, '_serfbort');
    writeFileSync(script, r.stdout);
    const out = execFileSync(
      'zsh',
      [
        '-f',
        '-c',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: zsh parameter expansion, not a template
        'compdef(){:}; _describe(){ local n=${@[-1]}; print -l -- ${${(P)n}%%:*}; }; source "$1"; words=(serfbort rollout ""); CURRENT=3; _serfbort',
        'zsh',
        script,
      ],
      { encoding: 'utf8' },
    );
    expect(out.split('\n').filter(Boolean)).toEqual(['list', 'show', 'resume', 'pause', 'abort']);
  });

  it.runIf(shellThere('fish'))('fish: the script loads and completes subcommands', async () => {
    const r = await run(['completion', 'fish']);
    const script = join(home.dir, 'serfbort.fish');
    writeFileSync(script, r.stdout);
    const out = execFileSync(
      'fish',
      [
        '-c',
        'source $argv[1]; function commandline; contains -- -ct $argv; and echo ""; or printf "%s\\n" serfbort lock; end; __serfbort_complete',
        script,
      ],
      { encoding: 'utf8' },
    );
    expect(
      out
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t')[0]),
    ).toEqual(['status', 'release']);
  });

  it('refuses a shell it does not know (exit 2)', async () => {
    expect((await run(['completion', 'tcsh'])).code).toBe(2);
  });
});

describe('an id that begins with a dash (made before ids stopped doing so)', () => {
  const id = '-iqQaw9kCIFThQiDw9rEMw';
  it('reads as an unknown option: exit 2, with how to pass it', async () => {
    const r = await run(['rollout', 'show', id, '--hub', 'http://127.0.0.1:1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`unknown option '${id}'`);
    expect(r.stderr).toContain(`serfbort rollout show -- ${id}`);
  });

  it('after `--`, is taken as the id: the command goes on to the hub', async () => {
    const r = await run(['rollout', 'show', '--hub', 'http://127.0.0.1:1', '--', id]);
    expect(r.stderr).not.toContain('unknown option');
    expect(errorCode(r)).toBe('HUB_UNREACHABLE');
  });
});

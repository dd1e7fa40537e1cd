import type { Command } from '@commander-js/extra-typings';
import type { CheckResult } from '@serfbort/core';
import { openEnvelope, PAYLOAD_TYPES, verifyCheckAnswer } from '@serfbort/core';
import { nodeVerifier } from '@serfbort/node';
import { parseDuration } from '../config/duration.js';
import { checkApp, checkVersionArg, describeTarget, targetFrom } from '../deploy/target.js';
import { EXIT, usageError } from '../errors.js';
import { verificationContext } from '../hub/operator-session.js';
import { renderTable } from '../output/table.js';
import { safeOrEmpty, terminalSafe } from '../output/terminal-safe.js';
import type { Ctx } from './context.js';
import { contextOf, examples } from './context.js';
import { withOperator } from './with-operator.js';

type CheckStatus =
  | 'ok'
  | 'mismatch'
  | 'version'
  | 'not-configured'
  | 'error'
  | 'UNVERIFIED'
  | 'unreachable';

interface HostCheck {
  host: string;
  status: CheckStatus;
  version: string | null;
  verified: boolean;
  detail: string | null;
}

/** Each answer is believed only if the host's operator-approved key signed it for this check. */
function judge(
  result: CheckResult,
  agentKeys: ReadonlyMap<string, Uint8Array>,
  wanted: string | undefined,
): HostCheck[] {
  const rows: HostCheck[] = [];
  for (const answer of result.answers) {
    const opened = openEnvelope(answer, PAYLOAD_TYPES.checkAnswer);
    const claimed = opened.ok ? (opened.value.payload as { host?: unknown }).host : undefined;
    const host = typeof claimed === 'string' ? claimed.slice(0, 253) : '(unnamed)';
    const v = verifyCheckAnswer(answer, { host, checkId: result.checkId }, agentKeys, nodeVerifier);
    if (!v.ok) {
      rows.push({ host, status: 'UNVERIFIED', version: null, verified: false, detail: v.detail });
      continue;
    }
    const a = v.value;
    const base = { host, version: a.version, verified: true, detail: a.error ?? null };
    if (!a.configured) rows.push({ ...base, status: 'not-configured' });
    else if (a.error !== undefined || a.version === null) rows.push({ ...base, status: 'error' });
    else if (wanted === undefined) rows.push({ ...base, status: 'version' });
    else rows.push({ ...base, status: a.version === wanted ? 'ok' : 'mismatch' });
  }
  for (const host of result.unreachable)
    rows.push({
      host,
      status: 'unreachable',
      version: null,
      verified: false,
      detail: 'offline or no answer in time',
    });
  return rows.sort((a, b) => a.host.localeCompare(b.host));
}

export function registerCheck(program: Command): void {
  const check = program
    .command('check')
    .description('ask hosts to report the version of an app now; OK when all match VERSION')
    .argument('<app>', 'app name')
    .argument('[version]', 'the version every host should run')
    .option('-l, --selector <selector>', "only hosts matching this label selector, e.g. 'role=web'")
    .option('--hosts <names>', 'only these hosts, comma separated')
    .option('--timeout <duration>', 'how long hosts have to answer', '10s')
    .option('--json', 'print one JSON document with the result')
    .action(async (app, version, opts, cmd) => {
      const ctx = contextOf(cmd, opts.json);
      checkApp(app);
      if (version !== undefined) checkVersionArg(version);
      const target = targetFrom(opts, false);
      const timeoutMs = parseDuration(opts.timeout, '--timeout');
      const rows = await withOperator(ctx, async ({ hub }) => {
        const { agentKeys } = await verificationContext(ctx, hub);
        return judge(
          await hub.check({ app, ...(target ? { target } : {}), timeoutMs }),
          agentKeys,
          version,
        );
      });
      if (rows.length === 0)
        throw usageError('NO_MATCHING_HOSTS', `no host matches ${describeTarget(target)}`);
      const allOk = rows.every(good);
      const code = allOk ? EXIT.ok : EXIT.hosts;
      process.exitCode = code;
      if (opts.json)
        return ctx.out.document({
          app,
          version: version ?? null,
          target: target ?? null,
          ok: allOk,
          exitCode: code,
          hosts: rows,
        });
      if (version !== undefined && allOk)
        return ctx.out.line(
          `${ctx.out.c.green('OK')} ${rows.length} host(s) run ${app} ${version}`,
        );
      printRows(ctx, rows);
    });
  examples(check, [
    'serfbort check shop',
    'serfbort check shop v1.4.2 -l role=web',
    'serfbort check shop v1.4.2 --hosts weba,webb --json',
  ]);
}

const good = (r: Pick<HostCheck, 'status'>) => r.status === 'ok' || r.status === 'version';

/** Every host's row, then who is off, unreachable, or answered unverifiably. */
function printRows(ctx: Ctx, rows: HostCheck[]): void {
  const { c } = ctx.out;
  const paint = (s: CheckStatus) =>
    good({ status: s })
      ? c.green(s)
      : s === 'UNVERIFIED'
        ? c.bgRed(c.white(c.bold(' UNVERIFIED ')))
        : c.red(s);
  ctx.out.line(
    renderTable(
      ['host', 'version', 'status', 'verified', 'detail'],
      rows.map((r) => [
        terminalSafe(r.host),
        safeOrEmpty(r.version),
        paint(r.status),
        r.verified ? 'yes' : c.red('NO'),
        safeOrEmpty(r.detail),
      ]),
      ctx.config.colorOut,
    ),
  );
  const named = (s: CheckStatus[]) =>
    rows.filter((r) => s.includes(r.status)).map((r) => terminalSafe(r.host));
  const mismatched = named(['mismatch', 'not-configured', 'error']);
  if (mismatched.length > 0) ctx.out.line(`${c.red('mismatched')}: ${mismatched.join(', ')}`);
  if (named(['unreachable']).length > 0)
    ctx.out.line(`${c.yellow('unreachable')}: ${named(['unreachable']).join(', ')}`);
  if (named(['UNVERIFIED']).length > 0)
    ctx.out.alarm(
      `UNVERIFIED answers (not signed by an operator-approved key): ${named(['UNVERIFIED']).join(', ')}`,
    );
}

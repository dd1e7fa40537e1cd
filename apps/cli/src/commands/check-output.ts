import type { CheckStatus, HostCheck } from '@serfbort/client';
import { goodCheck } from '@serfbort/client';
import { renderTable } from '../output/table.js';
import { safeOrEmpty, terminalSafe } from '../output/terminal-safe.js';
import type { Ctx } from './context.js';

const ALARMS: Partial<Record<CheckStatus, string>> = {
  UNVERIFIED: 'UNVERIFIED answers (not signed by an operator-approved key)',
  STALE: 'STALE answers (replayed: not signed for this check request, or outside its window)',
  withheld: 'withheld by the hub (the target names them; the hub neither asked nor reported them)',
};

/** Every host's row, then who is off, unreachable, refused, stale, withheld or unverified. */
export function printCheckRows(ctx: Ctx, rows: HostCheck[]): void {
  const { c } = ctx.out;
  const paint = (s: CheckStatus) =>
    goodCheck({ status: s })
      ? c.green(s)
      : ALARMS[s] !== undefined
        ? c.bgRed(c.white(c.bold(` ${s} `)))
        : c.red(s);
  const fresh = (r: HostCheck) =>
    r.fresh === null ? '' : r.fresh ? 'yes' : c.yellow('not proven (v1 agent)');
  // the release digest column appears only where some host deploys releases
  const digests = rows.some((r) => r.artifact !== undefined);
  ctx.out.line(
    renderTable(
      [
        'host',
        'version',
        ...(digests ? ['release sha256'] : []),
        'status',
        'verified',
        'fresh',
        'detail',
      ],
      // versions and details are what agents and the hub sent: through the terminal gate
      rows.map((r) => [
        terminalSafe(r.host),
        safeOrEmpty(r.version),
        ...(digests ? [r.artifact ?? ''] : []),
        paint(r.status),
        r.verified ? 'yes' : c.red('NO'),
        fresh(r),
        terminalSafe([r.code, r.detail].filter((x) => x !== null).join(': ')),
      ]),
      ctx.config.colorOut,
    ),
  );
  const named = (s: CheckStatus[]) =>
    rows.filter((r) => s.includes(r.status)).map((r) => terminalSafe(r.host));
  const mismatched = named(['mismatch', 'not-configured', 'error', 'refused']);
  if (mismatched.length > 0) ctx.out.line(`${c.red('mismatched')}: ${mismatched.join(', ')}`);
  if (named(['unreachable']).length > 0)
    ctx.out.line(`${c.yellow('unreachable')}: ${named(['unreachable']).join(', ')}`);
  const unproven = rows.filter((r) => r.fresh === false).map((r) => terminalSafe(r.host));
  if (unproven.length > 0)
    ctx.out.line(
      `${c.yellow('freshness not proven')} (v1 agents answer the hub's unsigned query): ${unproven.join(', ')}`,
    );
  const gone = rows.filter((r) => r.code === 'APPROVAL_DISAPPEARED');
  for (const [status, text] of Object.entries(ALARMS)) {
    const hosts = rows
      .filter((r) => r.status === status && !gone.includes(r))
      .map((r) => terminalSafe(r.host));
    if (hosts.length > 0) ctx.out.alarm(`${text}: ${hosts.join(', ')}`);
  }
  if (gone.length > 0)
    ctx.out.alarm(
      `approval disappeared (this client saw an operator approve them; the hub no longer presents it): ${gone.map((r) => terminalSafe(r.host)).join(', ')}; if decommissioned: serfbort agents forget NAME`,
    );
}

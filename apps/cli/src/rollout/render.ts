import type { HostResult, RolloutEvent, RolloutOutcome, RolloutSummary } from '@serfbort/client';
import { plural, summarizeRollout } from '@serfbort/client';
import type { RolloutView } from '@serfbort/core';
import type { Colors } from '../output/output.js';
import { terminalSafe } from '../output/terminal-safe.js';

const oneLine = (text: string): string => {
  const flat = terminalSafe(text).trim();
  return flat.length > 160 ? `${flat.slice(0, 159)}…` : flat;
};
const version = (v: string | null): string => (v === null ? '∅' : terminalSafe(v));

export function resultLine(r: HostResult, c: Colors): string {
  const mark =
    r.result === 'succeeded' ? c.green('✓') : r.result === 'unverified' ? c.red('!!') : c.red('✗');
  const paint = r.result === 'succeeded' ? c.green : r.result === 'unverified' ? c.red : c.yellow;
  const parts = [`  ${mark}`, c.bold(terminalSafe(r.host)), paint(r.result)];
  if (r.versionBefore !== null || r.versionAfter !== null)
    parts.push(`${version(r.versionBefore)} → ${version(r.versionAfter)}`);
  if (r.reason) parts.push(c.dim(`(${terminalSafe(r.reason)})`));
  if (r.detail) parts.push(c.dim(`: ${oneLine(r.detail)}`));
  return parts.join(' ');
}

const stepName = (view: RolloutView, index: number): string => {
  const step = view.steps[index]!;
  const what = step.kind === 'rollback' ? `back to ${version(step.version ?? null)}` : step.kind;
  return `step ${index + 1}/${view.steps.length} (${what}, ${plural(step.hosts.length, 'host')})`;
};

type StepDone = Extract<RolloutEvent, { type: 'step-done' }>;

/** A rollout step spends a failure budget; a rollback step has none: it puts every host back. */
function stepDoneLine(e: StepDone, c: Colors): string {
  const name = stepName(e.rollout, e.step.index);
  const ok = e.results.filter((r) => r.result === 'succeeded').length;
  const step = e.rollout.steps[e.step.index];
  if (step?.kind === 'rollback')
    return `${name}: ${ok} of ${plural(e.results.length, 'host')} back on ${version(step.version ?? null)} (a rollback has no failure budget: it puts back every host it can)`;
  const over = e.failures > e.rollout.budget;
  return `${name}: ${ok} succeeded; failures so far ${over ? c.red(String(e.failures)) : e.failures} of a budget of ${e.rollout.budget}`;
}

/** One or a few lines per driver event, as the rollout goes. */
export function eventLines(e: RolloutEvent, c: Colors): string[] {
  switch (e.type) {
    case 'step-released':
      return [
        `${stepName(e.rollout, e.step.index)}: signed and released as ${e.requestId}: ${e.step.hosts.join(', ')}`,
      ];
    case 'step-resumed':
      return [
        `${stepName(e.rollout, e.step.index)}: released earlier as ${e.requestId}; judging its receipts again`,
      ];
    case 'step-done':
      return [...e.results.map((r) => resultLine(r, c)), stepDoneLine(e, c)];
    case 'waiting':
      return [c.dim(`waiting ${Math.round(e.ms / 1000)}s before the next step`)];
    case 'paused':
      return [
        c.yellow(
          `rollout ${e.rollout.id} is paused; waiting (serfbort rollout resume ${e.rollout.id} continues it; Ctrl-C leaves it paused)`,
        ),
      ];
    case 'stopped':
      return [];
    case 'rollback-skipped':
      return [c.yellow(`not rolled back: ${terminalSafe(e.host)}: ${terminalSafe(e.why)}`)];
  }
}

const STATUS_WORDS: Record<string, (c: Colors, s: string) => string> = {
  succeeded: (c, s) => c.green(s),
  'rolled-back': (c, s) => c.yellow(s),
};

function summaryLines(s: RolloutSummary): string[] {
  const rows: [string, string[]][] = [
    ['succeeded', s.succeeded],
    ['failed', s.failed],
    ['rejected', s.rejected],
    ['silent', s.silent],
    ['offline-pending', s.offlinePending],
    ['unverified', s.unverified],
    ['not released', s.notReleased],
  ];
  const list = (hosts: string[]) =>
    hosts.length > 12
      ? `${hosts.slice(0, 12).join(' ')} and ${hosts.length - 12} more`
      : hosts.join(' ');
  return [
    `  ${'expected'.padEnd(16)}${String(s.expected.length).padStart(5)}`,
    ...rows
      .filter(([, hosts]) => hosts.length > 0)
      .map(
        ([name, hosts]) =>
          `  ${name.padEnd(16)}${String(hosts.length).padStart(5)}  ${list(hosts)}`,
      ),
  ];
}

export function outcomeLines(o: RolloutOutcome, c: Colors): string[] {
  const v = o.rollout;
  const paint = STATUS_WORDS[o.status] ?? ((cc: Colors, s: string) => cc.red(s));
  // the view is the hub's word: its strings pass the terminal gate like a host's
  const head = `${v.kind} ${terminalSafe(v.id)} of ${terminalSafe(v.app)}${v.kind === 'rollback' ? '' : ` ${version(v.version)}`}: ${paint(c, o.status)}${o.reason ? ` — ${terminalSafe(o.reason)}` : ''}`;
  const lines = [
    head,
    ...summaryLines(
      summarizeRollout(
        v.steps.flatMap((s) => s.hosts),
        o.results,
      ),
    ),
  ];
  if (o.rollback) lines.push('', ...outcomeLines(o.rollback, c));
  return lines;
}

/** The `--json` form: every category names its hosts; every result carries its verified facts. */
export function outcomeJson(o: RolloutOutcome): unknown {
  const v = o.rollout;
  return {
    rolloutId: v.id,
    kind: v.kind,
    app: v.app,
    version: v.version,
    status: o.status,
    reason: o.reason ?? null,
    ...(v.rollbackOf ? { rollbackOf: v.rollbackOf } : {}),
    steps: v.steps.map((s) => ({
      index: s.index,
      kind: s.kind,
      hosts: s.hosts,
      ...(s.version ? { version: s.version } : {}),
      requestId: s.requestId ?? null,
    })),
    summary: summarizeRollout(
      v.steps.flatMap((s) => s.hosts),
      o.results,
    ),
    results: o.results,
    ...(o.rollback ? { rollback: outcomeJson(o.rollback) } : {}),
  };
}

/** 0 only when the rollout succeeded and every expected host verifiably succeeded. */
export function exitOf(o: RolloutOutcome): number {
  const all = o.rollout.steps.flatMap((s) => s.hosts).length;
  const good = o.results.filter((r) => r.result === 'succeeded').length;
  return o.status === 'succeeded' && good === all ? 0 : 1;
}

import type { DeployRequest } from '@serfbort/core';
import type { Colors } from '../output/output.js';
import { renderTable } from '../output/table.js';
import { safeOrEmpty, terminalSafe } from '../output/terminal-safe.js';
import type { HostOutcome, OutcomeStatus } from './outcome.js';
import { countStatuses } from './outcome.js';
import { describeTarget } from './target.js';

function paint(status: OutcomeStatus, c: Colors): string {
  if (status === 'succeeded') return c.green(status);
  if (status === 'UNVERIFIED' || status === 'withheld')
    return c.bgRed(c.white(c.bold(` ${status} `)));
  if (status === 'expired' || status === 'superseded' || status === 'unreachable')
    return c.yellow(status);
  return c.red(status);
}

// versions, reasons and details are the host's words: through the terminal gate
const versions = (o: HostOutcome) =>
  o.versionBefore === null && o.versionAfter === null
    ? ''
    : `${o.versionBefore === null ? '∅' : terminalSafe(o.versionBefore)} → ${o.versionAfter === null ? '∅' : terminalSafe(o.versionAfter)}`;

/** One line per host as it answers. */
export function hostLine(o: HostOutcome, c: Colors): string {
  const mark =
    o.status === 'succeeded'
      ? c.green('✓')
      : o.status === 'UNVERIFIED' || o.status === 'withheld'
        ? c.red('!!')
        : c.red('✗');
  const parts = [mark, c.bold(terminalSafe(o.host)), paint(o.status, c)];
  if (versions(o)) parts.push(versions(o));
  if (o.exitCode !== null && o.status !== 'succeeded') parts.push(`exit ${o.exitCode}`);
  if (o.reason) parts.push(c.dim(`(${terminalSafe(o.reason)})`));
  if (o.artifact)
    parts.push(
      o.artifact.fetched
        ? c.red(`sha256 expected ${o.artifact.sha256}, fetched ${o.artifact.fetched}`)
        : `sha256 ${o.artifact.sha256}`,
    );
  if (o.detail) parts.push(c.dim(`: ${terminalSafe(o.detail)}`));
  return parts.join(' ');
}

/** What is about to be signed, exactly: the payload fields people decide on. */
export function requestLines(r: DeployRequest, c: Colors): string[] {
  return [
    `  app      ${c.bold(r.app)}`,
    `  version  ${c.bold(r.version)}${r.expect ? `  (must resolve to ${r.expect})` : ''}`,
    `  target   ${describeTarget(r.target)}`,
    ...(r.artifact
      ? [
          `  artifact sha256 ${c.bold(r.artifact.sha256)}, ${r.artifact.size} bytes${r.artifact.url ? ` from ${terminalSafe(r.artifact.url)}` : ''}${r.attestation ? ', attested' : ''}`,
        ]
      : []),
    `  id       ${r.id}`,
    `  valid    ${new Date(r.issuedAt).toISOString()} → ${new Date(r.expiresAt).toISOString()}`,
    `  signers  ${r.signers.join(', ')}`,
  ];
}

export function summaryTable(outcomes: readonly HostOutcome[], c: Colors, color: boolean): string {
  const rows = outcomes.map((o) => [
    terminalSafe(o.host),
    paint(o.status, c),
    o.verified ? 'yes' : c.red('NO'),
    versions(o),
    o.exitCode ?? '',
    safeOrEmpty(o.reason),
  ]);
  return renderTable(['host', 'status', 'verified', 'version', 'exit', 'reason'], rows, color);
}

export function countsLine(outcomes: readonly HostOutcome[]): string {
  const counts = countStatuses(outcomes);
  return Object.entries(counts)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
}

/** --json: the same facts as the human output, in one document. */
export function deployJson(
  r: DeployRequest,
  hub: string,
  outcomes: readonly HostOutcome[] | null,
  exitCode: number,
  extra: Record<string, unknown> = {},
) {
  return {
    requestId: r.id,
    app: r.app,
    version: r.version,
    target: r.target,
    signers: r.signers,
    issuedAt: r.issuedAt,
    expiresAt: r.expiresAt,
    ...(r.expect ? { expect: r.expect } : {}),
    ...(r.artifact ? { artifact: r.artifact } : {}),
    hub,
    ...extra,
    ...(outcomes ? { hosts: outcomes, counts: countStatuses(outcomes) } : {}),
    ok: exitCode === 0,
    exitCode,
  };
}

import type { Summary } from '../common/stats.js';

/** One line of the printed table: a figure, and where there is one, the floor it is compared to. */
export interface Row {
  part: string;
  metric: string;
  n: number;
  unit: string;
  value: Summary | number;
  floor?: number;
  /** value ÷ floor (or for Serf: serf ÷ serfbort, "how many times faster") */
  ratio?: number;
  ratioLabel?: string;
  goal?: string;
}

export const fmt = (v: number, unit: string): string => {
  if (!Number.isFinite(v)) return '—';
  // byte figures: value in bytes, printed in the unit named
  if (unit === 'KB') return `${(v / 1024).toFixed(1)}`;
  if (unit === 'MB') return `${(v / 1024 / 1024).toFixed(1)}`;
  if (Math.abs(v) >= 100) return v.toFixed(0);
  if (Math.abs(v) >= 10) return v.toFixed(1);
  return v.toFixed(2);
};

function cells(row: Row): string[] {
  const v = row.value;
  const median = typeof v === 'number' ? v : v.median;
  const range = typeof v === 'number' ? '' : `${fmt(v.min, row.unit)}–${fmt(v.max, row.unit)}`;
  return [
    row.part,
    row.metric,
    String(row.n),
    `${fmt(median, row.unit)} ${row.unit}`,
    range,
    row.floor === undefined ? '' : `${fmt(row.floor, row.unit)} ${row.unit}`,
    row.ratio === undefined ? '' : `${fmt(row.ratio, '')}${row.ratioLabel ?? '×'}`,
    row.goal ?? '',
  ];
}

const HEAD = ['part', 'metric', 'N', 'median', 'min–max', 'floor', 'ratio', 'goal'];

export function renderTable(rows: readonly Row[]): string {
  return renderGrid(HEAD, rows.map(cells));
}

/** Columns padded to their widest cell, for a terminal. */
export function renderGrid(head: readonly string[], body: readonly string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line([...head]), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

/** Markdown version, for pasting into the README's performance section. */
export function renderMarkdown(rows: readonly Row[]): string {
  return markdownGrid(HEAD, rows.map(cells));
}

export function markdownGrid(head: readonly string[], body: readonly string[][]): string {
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...body.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

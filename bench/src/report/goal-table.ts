import { GOALS, type Goal } from './goals.js';
import type { Measured, Reading } from './measured.js';
import { markdownGrid, renderGrid } from './table.js';

export type Verdict = 'met' | 'missed' | 'not measured' | '—';

export interface GoalRow {
  figure: string;
  n: number | undefined;
  measured: string;
  goal: string;
  verdict: Verdict;
  value?: number;
}

const number = (v: number): string => {
  if (!Number.isFinite(v)) return '—';
  if (Math.abs(v) >= 100) return v.toFixed(0);
  if (Math.abs(v) >= 10) return v.toFixed(1);
  return v.toFixed(2);
};

const withUnit = (v: number, unit: Goal['unit']): string => {
  if (unit === '×') return `${number(v)}×`;
  return unit === 'receipts' ? `${v.toFixed(0)} ${unit}` : `${number(v)} ${unit}`;
};

function goalText(goal: Goal): string {
  if (!goal.limit) return '(reported)';
  const sign = goal.limit.direction === 'at most' ? '≤' : '≥';
  const at = goal.at === undefined ? '' : ` at ${goal.at.toLocaleString('en')}`;
  const limit = goal.limit.value;
  return `${sign} ${goal.unit === '×' ? `${limit}×` : `${limit} ${goal.unit}`}${at}`;
}

/** met / missed only when the reading is the figure the goal names (its N, its amount of data). */
export function verdictOf(goal: Goal, reading: Reading | undefined): Verdict {
  if (!reading || !Number.isFinite(reading.value)) return 'not measured';
  if (!goal.limit) return '—';
  if (reading.shortOf) return 'not measured';
  if (goal.at !== undefined && reading.n !== goal.at) return 'not measured';
  const { direction, value } = goal.limit;
  const met = direction === 'at most' ? reading.value <= value : reading.value >= value;
  return met ? 'met' : 'missed';
}

/** Every goal, read from this run; a figure the run did not take reads "not measured". */
export function goalRows(m: Measured): GoalRow[] {
  return GOALS.map((goal) => {
    const reading = goal.read(m, goal.at);
    const measured = reading
      ? `${withUnit(reading.value, goal.unit)}${reading.detail ? ` (${reading.detail})` : ''}`
      : '';
    return {
      figure: goal.figure,
      n: reading?.n,
      measured,
      goal: goalText(goal),
      verdict: verdictOf(goal, reading),
      ...(reading ? { value: reading.value } : {}),
    };
  });
}

const HEAD = ['goal figure', 'N', 'measured', 'goal', 'verdict'];
const cells = (r: GoalRow): string[] => [
  r.figure,
  r.n === undefined ? '' : String(r.n),
  r.measured,
  r.goal,
  r.verdict,
];

export const renderGoals = (rows: readonly GoalRow[]): string => renderGrid(HEAD, rows.map(cells));
export const goalsMarkdown = (rows: readonly GoalRow[]): string =>
  markdownGrid(HEAD, rows.map(cells));

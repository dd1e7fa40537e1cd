import type { Requirement, Selector } from './ast.js';

export function printRequirement(r: Requirement): string {
  switch (r.op) {
    case 'eq':
      return `${r.key}=${r.values[0] ?? ''}`;
    case 'neq':
      return `${r.key}!=${r.values[0] ?? ''}`;
    case 'in':
      return `${r.key} in (${r.values.join(',')})`;
    case 'notin':
      return `${r.key} notin (${r.values.join(',')})`;
    case 'exists':
      return r.key;
    case 'notexists':
      return `!${r.key}`;
  }
}

/** Canonical text of a selector; parse(print(s)) equals s. */
export function printSelector(selector: Selector): string {
  return selector.map(printRequirement).join(',');
}

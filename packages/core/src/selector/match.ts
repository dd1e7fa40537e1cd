import type { Target } from '../schemas/deploy.js';
import type { Labels } from '../schemas/primitives.js';
import type { Requirement, Selector } from './ast.js';
import { parseSelector } from './parse.js';
import { printRequirement } from './print.js';

export function matchesRequirement(r: Requirement, labels: Labels): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = has ? labels[r.key] : undefined;
  switch (r.op) {
    case 'eq':
      return has && value === r.values[0];
    case 'neq':
      return !(has && value === r.values[0]);
    case 'in':
      return has && r.values.includes(value as string);
    case 'notin':
      return !(has && r.values.includes(value as string));
    case 'exists':
      return has;
    case 'notexists':
      return !has;
  }
}

export function matchesSelector(selector: Selector, labels: Labels): boolean {
  return selector.every((r) => matchesRequirement(r, labels));
}

export interface HostIdentity {
  name: string;
  labels: Labels;
}

/** Whether a deploy target names this host. An unparsable selector matches nothing. */
export function targetMatches(target: Target, host: HostIdentity): boolean {
  if ('hosts' in target) return target.hosts.includes(host.name);
  const parsed = parseSelector(target.selector);
  return parsed.ok && matchesSelector(parsed.selector, host.labels);
}

export interface RequirementVerdict {
  requirement: string;
  matched: boolean;
  why: string;
}

/** Why a host does or does not match, one line per requirement, for people. */
export function explainMatch(selector: Selector, labels: Labels): RequirementVerdict[] {
  return selector.map((r) => {
    const matched = matchesRequirement(r, labels);
    const has = Object.hasOwn(labels, r.key);
    const actual = has ? `${r.key} is '${labels[r.key]}'` : `no label ${r.key}`;
    const wanted: Record<Requirement['op'], string> = {
      eq: `needs ${r.key}='${r.values[0]}'`,
      neq: `needs ${r.key} other than '${r.values[0]}'`,
      in: `needs ${r.key} in (${r.values.join(', ')})`,
      notin: `needs ${r.key} not in (${r.values.join(', ')})`,
      exists: `needs a label ${r.key}`,
      notexists: `needs no label ${r.key}`,
    };
    return { requirement: printRequirement(r), matched, why: `${actual}; ${wanted[r.op]}` };
  });
}

/**
 * Whether `request` is at least as narrow as `allowed`: every requirement of the
 * allowed selector appears in the request. Sound (never says yes wrongly), not complete.
 */
export function selectorWithin(request: Selector, allowed: Selector): boolean {
  const have = new Set(request.map(printRequirement));
  return allowed.every((r) => have.has(printRequirement(r)));
}

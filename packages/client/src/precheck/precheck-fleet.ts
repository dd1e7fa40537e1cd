import type { HostView, Labels, Requirement, Target } from '@serfbort/core';
import { parseSelector, printRequirement, targetMatches } from '@serfbort/core';
import type { Refusal } from '../codes.js';
import { didYouMean } from './suggest.js';

/** What the hub says a host is: its name, the labels it is routed by, the apps it reports. */
export interface FleetHost {
  name: string;
  labels: Labels;
  apps: readonly string[];
}

/** A host as the hub's fleet view shows it; its apps are the ones its agent reports. */
export const fleetHostOf = (h: HostView): FleetHost => ({
  name: h.name,
  labels: h.labels,
  apps: Object.keys(h.apps),
});

export interface FleetInput {
  app: string;
  /** none: every host the hub knows (a check of the whole fleet) */
  target?: Target;
  /** every host the hub knows, approved or not */
  known: readonly FleetHost[];
}

export type FleetVerdict =
  | { ok: true; matched: FleetHost[] }
  | { ok: false; matched: FleetHost[]; refusals: Refusal[] };

/**
 * Typos caught before signing: host names nobody knows, a target matching no host, an app
 * no targeted host has. Each refusal names the closest known word. This is the hub's word
 * about the fleet, so it only ever stops a signature, never widens one.
 */
export function precheckFleet({ app, target, known }: FleetInput): FleetVerdict {
  const refusals: Refusal[] = [];
  const matched = target ? known.filter((h) => targetMatches(target, h)) : [...known];
  if (!target) {
    if (matched.length === 0)
      refusals.push({ code: 'NO_MATCHING_HOSTS', detail: 'the hub knows no host yet' });
  } else if ('hosts' in target) {
    const names = known.map((h) => h.name);
    for (const name of target.hosts.filter((n) => !names.includes(n)))
      refusals.push({
        code: 'UNKNOWN_HOST',
        detail: `no host named '${name}' is known to the hub${didYouMean(name, names)}`,
      });
  } else if (matched.length === 0) {
    refusals.push({
      code: 'NO_MATCHING_HOSTS',
      detail: `no known host matches '${target.selector}'${selectorHint(target.selector, known)}`,
    });
  }
  if (matched.length > 0 && !matched.some((h) => h.apps.includes(app))) {
    const apps = [...new Set(matched.flatMap((h) => h.apps))].sort();
    refusals.push({
      code: 'UNKNOWN_APP',
      detail: `no targeted host has app '${app}' (per the hub, they have: ${apps.join(', ') || 'none'})${didYouMean(app, apps)}`,
    });
  }
  return refusals.length === 0 ? { ok: true, matched } : { ok: false, matched, refusals };
}

/** The first requirement naming a label key or value no host has, with the closest one. */
function selectorHint(selector: string, known: readonly FleetHost[]): string {
  const parsed = parseSelector(selector);
  if (!parsed.ok) return '';
  for (const r of parsed.selector) {
    const hint = requirementHint(r, known);
    if (hint) return hint;
  }
  return '';
}

function requirementHint(r: Requirement, known: readonly FleetHost[]): string {
  const keys = new Set(known.flatMap((h) => Object.keys(h.labels)));
  if (!keys.has(r.key)) return `: no host has a label '${r.key}'${didYouMean(r.key, keys)}`;
  if (r.op !== 'eq' && r.op !== 'in') return '';
  const values = new Set(known.flatMap((h) => (r.key in h.labels ? [h.labels[r.key]!] : [])));
  const missing = r.values.find((v) => !values.has(v));
  if (missing === undefined) return '';
  const near = didYouMean(missing, values);
  return `: no host has ${printRequirement({ key: r.key, op: 'eq', values: [missing] })}${near}`;
}

/**
 * The one rule both faces apply to a verdict: a target matching no known host always
 * stops (the hub would refuse it anyway); unknown host names and an app no targeted host
 * has stop too, unless the operator explicitly allowed them (a host that has not
 * connected yet, an app being added), in which case they are warnings.
 */
export function fleetBlockers(
  verdict: FleetVerdict,
  allowUnknown: boolean,
): { blocking: Refusal[]; warnings: Refusal[] } {
  if (verdict.ok) return { blocking: [], warnings: [] };
  const overridable = (r: Refusal) => allowUnknown && r.code !== 'NO_MATCHING_HOSTS';
  return {
    blocking: verdict.refusals.filter((r) => !overridable(r)),
    warnings: verdict.refusals.filter(overridable),
  };
}

/** Whether some refusal of the verdict is one an explicit "allow unknown" turns into a warning. */
export const mayAllowUnknown = (verdict: FleetVerdict): boolean =>
  !verdict.ok && verdict.refusals.some((r) => r.code !== 'NO_MATCHING_HOSTS');

import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

/**
 * The one issue worth showing for a config error. A union (e.g. labels as a list or a
 * map) reports the branch that got furthest into the value, so the field named is the
 * exact one that is wrong (`labels.version`), not the union around it.
 */
export function explainIssue(issue: Issue): { field: string; message: string } {
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const deepest = issue.errors
      .map((branch) => branch[0])
      .filter((i): i is Issue => i !== undefined)
      .sort((a, b) => b.path.length - a.path.length)[0];
    if (deepest && deepest.path.length > 0) {
      const inner = explainIssue(deepest);
      return { field: [...issue.path.map(String), inner.field].join('.'), message: inner.message };
    }
  }
  if (issue.code === 'unrecognized_keys') {
    return {
      field: [...issue.path.map(String), issue.keys[0] ?? ''].join('.'),
      message: 'is not a known field',
    };
  }
  return { field: issue.path.map(String).join('.') || 'config', message: issue.message };
}

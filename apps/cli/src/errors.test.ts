import { ERROR_CODES } from '@serfbort/core';
import { describe, expect, it } from 'vitest';
import { CLI_CODES } from './errors.js';

describe("the CLI's own codes", () => {
  it('have no duplicate', () => {
    expect(new Set(CLI_CODES).size).toBe(CLI_CODES.length);
  });

  it("repeat none of core's codes", () => {
    const core = new Set<string>(ERROR_CODES);
    expect(CLI_CODES.filter((c) => core.has(c))).toEqual([]);
  });
});

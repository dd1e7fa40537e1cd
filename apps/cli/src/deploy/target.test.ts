import { describe, expect, it } from 'vitest';
import { checkVersionArg, targetFrom } from './target.js';

const code = (f: () => unknown) => {
  try {
    f();
    return 'no error';
  } catch (e) {
    return (e as { code?: string }).code;
  }
};

describe('targetFrom', () => {
  it('canonicalizes a selector, so what is signed reads the same everywhere', () => {
    expect(targetFrom({ selector: 'role==web , !canary' }, true)).toEqual({
      selector: 'role=web,!canary',
    });
  });

  it('takes a host list, without duplicates', () => {
    expect(targetFrom({ hosts: 'weba, webb,weba' }, true)).toEqual({ hosts: ['weba', 'webb'] });
  });

  it('refuses both, neither (when required), bad selectors and bad names', () => {
    expect(code(() => targetFrom({ selector: 'a', hosts: 'b' }, true))).toBe('TARGET_AMBIGUOUS');
    expect(code(() => targetFrom({}, true))).toBe('TARGET_REQUIRED');
    expect(targetFrom({}, false)).toBeUndefined();
    expect(code(() => targetFrom({ selector: 'role in (web' }, true))).toBe('BAD_SELECTOR');
    expect(code(() => targetFrom({ hosts: 'Web_A' }, true))).toBe('BAD_HOSTS');
  });
});

describe('checkVersionArg', () => {
  it('refuses versions that could act as options or shell text', () => {
    expect(code(() => checkVersionArg('--upload-pack=x'))).toBe('BAD_VERSION');
    expect(code(() => checkVersionArg('v1;rm'))).toBe('BAD_VERSION');
    expect(checkVersionArg('v1.4.2')).toBe('v1.4.2');
  });
});

import { describe, expect, it } from 'vitest';
import { terminalSafe } from './terminal-safe.js';

describe('terminalSafe', () => {
  it('removes escape sequences whole, not just their ESC', () => {
    expect(terminalSafe('\u001b[31mred\u001b[0m \u001b[2Jcleared \u001b]0;title\u0007done')).toBe(
      'red cleared done',
    );
  });

  it('drops every other C0 and C1 control (an 8-bit CSI with its sequence) and the bidi overrides', () => {
    expect(terminalSafe('a\u0000b\u0007c\u007fd\u009b1me\u202ef\u2066g')).toBe('abcdefg');
  });

  it('turns tabs and line breaks into one space: a host cannot start a line of our output', () => {
    expect(terminalSafe('v1\r\nerror [FAKE] all good\tnow')).toBe('v1 error [FAKE] all good now');
  });

  it('keeps ordinary text, Unicode included', () => {
    expect(terminalSafe('v1.4.2 → ∅ café 部署')).toBe('v1.4.2 → ∅ café 部署');
  });
});

import { describe, expect, it } from 'vitest';
import { escapeControls, escapeJsonControls, NAME_MAX_LENGTH, nameProblem, nameSchema } from './names.js';

describe('the name rule', () => {
  it('takes ordinary names in any script', () => {
    for (const ok of ['Ada Lovelace', 'Zoë Ñúñez-O’Brien', '李小龙', 'مريم', 'x'.repeat(NAME_MAX_LENGTH), '']) expect(nameProblem(ok), ok).toBeUndefined();
  });

  it('refuses C0 and C1 controls, DEL, line separators and bidi controls, saying which and where', () => {
    expect(nameProblem('Eve\u001b]0;pwned\u0007')).toBe('contains ESC (U+001B) at character 4; names cannot hold control characters');
    expect(nameProblem('a\nb')).toMatch(/^contains a line break \(U\+000A\) at character 2/);
    expect(nameProblem('a\rb')).toMatch(/carriage return \(U\+000D\)/);
    for (const c of ['\u0000', '\u0007', '\t', '\u007f', '\u0085', '\u009b', '\u2028', '\u2029', '\u202e', '\u2066']) {
      expect(nameProblem(`x${c}`), c.charCodeAt(0).toString(16)).toMatch(/^contains .* at character 2/);
    }
    expect(nameProblem('x'.repeat(NAME_MAX_LENGTH + 1))).toBe(`is ${NAME_MAX_LENGTH + 1} characters long; names are limited to ${NAME_MAX_LENGTH}`);
    expect(nameSchema.safeParse('Bell\u0007').error?.issues[0]?.message).toMatch(/BEL \(U\+0007\).*fix the name in the file$/);
  });

  it('escapes what the rule refuses so a terminal shows it instead of obeying it', () => {
    expect(escapeControls('Eve\u001b]0;x\u0007 \u009b2J \u202egnp.exe \\x1b')).toBe('Eve\\x1b]0;x\\x07 \\x9b2J \\u202egnp.exe \\\\x1b');
    expect(escapeControls('plain Zoë')).toBe('plain Zoë');
  });

  it('escapes in JSON what JSON.stringify leaves raw, keeping it valid and equal when parsed', () => {
    const value = [{ name: 'a\u009b\u2028\u202e\u007f\u001b' }];
    const json = escapeJsonControls(JSON.stringify(value, null, 2));
    expect(json).not.toMatch(/[\u007f-\u009f\u2028\u202e\u001b]/);
    expect(JSON.parse(json)).toEqual(value);
  });
});

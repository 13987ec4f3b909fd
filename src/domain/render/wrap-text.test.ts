import { describe, expect, it } from 'vitest';
import { wrapText } from './wrap-text.js';

const LONG =
  'Diffusion models have revolutionized image and video generation, achieving unprecedented visual quality. However, their reliance on transformer architectures incurs prohibitively high computational costs.';

describe('wrapText', () => {
  it('leaves short lines alone, byte for byte', () => {
    const s = 'Title\n\n  indented short line   \nhttps://example.org/x\n';
    expect(wrapText(s)).toBe(s);
  });

  it('wraps long lines at 72 columns, at spaces, keeping the words in order', () => {
    const out = wrapText(LONG);
    const lines = out.split('\n');
    expect(lines.length).toBeGreaterThan(2);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(72);
    expect(out.replace(/\n/g, ' ')).toBe(LONG);
  });

  it('keeps indentation and hangs numbered and bulleted lines under their text', () => {
    const out = wrapText(`    ${LONG}\n12. ${LONG}\n- ${LONG}`).split('\n');
    for (const l of out) expect(l.length).toBeLessThanOrEqual(72);
    const numbered = out.findIndex((l) => l.startsWith('12. '));
    expect(out[numbered + 1]).toMatch(/^ {4}\S/);
    const bullet = out.findIndex((l) => l.startsWith('- '));
    expect(out[bullet + 1]).toMatch(/^ {2}\S/);
    expect(out.slice(0, numbered).every((l) => l.startsWith('    '))).toBe(true);
  });

  it('never breaks a URL, even past the width', () => {
    const url = `https://example.org/${'segment/'.repeat(12)}end`;
    const out = wrapText(`Read the paper at ${url} and tell us what you think of it, please, today.`).split('\n');
    expect(out).toContain(url);
    expect(wrapText(url)).toBe(url);
    expect(wrapText(`    PDF: ${url}`)).toMatch(new RegExp(`${url.replace(/[/.]/g, '\\$&')}$`));
  });

  it('counts slot markers as words, so a slot is never split', () => {
    const marker = '\u0001pb:unsubscribeUrl\u0002';
    const out = wrapText(`${'word '.repeat(13)}unsubscribe here: ${marker} thanks`);
    expect(out).toContain(marker);
  });
});

import { describe, expect, it } from 'vitest';
import { cutSlots, fillTemplate, slotMarker, templateBytes, type SubscriberFields } from './slots.js';

const values: SubscriberFields = {
  name: 'Ada',
  email: 'ada@example.org',
  unsubscribeUrl: 'https://x.org/unsubscribe/t?a=1&b=2',
  preferencesUrl: 'https://x.org/preferences/t',
  webUrl: 'https://x.org/archive/1',
  stopTopicUrl: 'https://x.org/stop-topic/t',
};

describe('slots', () => {
  it('cuts markers into chunks and keys, and fills them back', () => {
    const compiled = `<p>Hi${slotMarker('name')},</p><a href="${slotMarker('unsubscribeUrl')}">x</a>${slotMarker('email')}`;
    const t = cutSlots(compiled);
    expect(t.keys).toEqual(['name', 'unsubscribeUrl', 'email']);
    expect(t.chunks).toHaveLength(4);
    expect(fillTemplate(t, values, 'html')).toBe('<p>Hi Ada,</p><a href="https://x.org/unsubscribe/t?a=1&amp;b=2">x</a>ada@example.org');
    expect(fillTemplate(t, values, 'text')).toBe('<p>Hi Ada,</p><a href="https://x.org/unsubscribe/t?a=1&b=2">x</a>ada@example.org');
  });

  it('greets without a name and without a stray space', () => {
    const t = cutSlots(`Hi${slotMarker('name')}, there`);
    expect(fillTemplate(t, { ...values, name: '' }, 'text')).toBe('Hi, there');
    expect(fillTemplate(t, { ...values, name: '   ' }, 'text')).toBe('Hi, there');
  });

  it('escapes subscriber values in html mode only', () => {
    const t = cutSlots(`Hi${slotMarker('name')}`);
    expect(fillTemplate(t, { ...values, name: '<b>"Bob" & co</b>' }, 'html')).toBe('Hi &lt;b&gt;&quot;Bob&quot; &amp; co&lt;/b&gt;');
    expect(fillTemplate(t, { ...values, name: '<b>Bob</b>' }, 'text')).toBe('Hi <b>Bob</b>');
  });

  it('keeps names on one line', () => {
    const t = cutSlots(`Hi${slotMarker('name')},`);
    expect(fillTemplate(t, { ...values, name: 'Ada\r\nBcc: x@y.z' }, 'text')).toBe('Hi Ada Bcc: x@y.z,');
  });

  it('output without markers is one chunk', () => {
    expect(cutSlots('plain')).toEqual({ chunks: ['plain'], keys: [] });
  });

  it('rejects unknown keys and mangled markers', () => {
    expect(() => cutSlots('\u0001pb:password\u0002')).toThrow(/unknown slot "password"/);
    expect(() => cutSlots('a \u0001pb:name b')).toThrow(/mangled/);
  });

  it('estimates at least the filled size for ordinary values', () => {
    const t = cutSlots(`${slotMarker('webUrl')} ü ${slotMarker('unsubscribeUrl')} ${slotMarker('preferencesUrl')} ${slotMarker('email')}`);
    expect(templateBytes(t)).toBeGreaterThanOrEqual(Buffer.byteLength(fillTemplate(t, values, 'html')));
  });
});

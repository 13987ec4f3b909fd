import { describe, expect, it } from 'vitest';
import { parseObjectWithBigArray } from './json-big-array.js';
import { seeded } from './seeded-random.js';

const result = (text: string) => parseObjectWithBigArray(Buffer.from(text, 'utf8'), 'subscribers');
const parse = (text: string) => {
  const r = result(text);
  return r && 'data' in r ? r.data : r;
};

describe('parseObjectWithBigArray', () => {
  it('gives what JSON.parse gives, for awkward but valid files', () => {
    const files = [
      '{"subscribers":[]}',
      '{ "subscribers" : [ ] }',
      '\uFEFF{"subscribers":[{"email":"a@x.org"}]}',
      '{"version":1,"subscribers":[{"email":"a@x.org","topics":["a","b"]},{"email":"b@x.org","name":"Seán \\"Ó\\" [Brien], {x}"}],"after":{"subscribers":[1]}}',
      '{"note":"subscribers","subscribers":\n  [\n    {"n": "a,b]c}\\\\"},\n    [1, [2, {"3": "]"}]],\n    "str",\n    42,\n    null\n  ]\n}\n',
      '{"x":{"subscribers":[9]},"subscribers":[{"emoji":"📬 ✉️","esc":"\\u00e9\\n"}]}',
    ];
    for (const f of files) expect(parse(f)).toEqual(JSON.parse(f.replace(/^\uFEFF/, '')));
  });

  it('matches JSON.parse on generated lists with names that need escaping', () => {
    const rand = seeded(7);
    const pieces = ['Seán', 'Zoë', '"quoted"', 'back\\slash', '[bracket]', '{brace}', 'comma, here', '日本', '🙂', 'tab\t', ''];
    const subscribers = Array.from({ length: 500 }, (_, i) => ({
      email: `r${i}@example.org`,
      name: Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pieces[Math.floor(rand() * pieces.length)]).join(' '),
      topics: ['a', 'b', 'c'].filter(() => rand() < 0.5),
    }));
    for (const text of [JSON.stringify({ subscribers }), JSON.stringify({ subscribers }, null, 2)]) {
      expect(parse(text)).toEqual(JSON.parse(text));
    }
  });

  it('declines anything else, so the caller parses the whole text and reports JSON errors itself', () => {
    for (const f of [
      '',
      '[]',
      '{"other":[1]}',
      '{"subscribers":{"a":1}}',
      '{"subscribers":[{"a":1}]',
      '{"subscribers":[{"a":1}] ]}',
      '{"subscribers":[{"a":"unclosed}]}',
      '{"subscribers":[1]} trailing',
      '{"subscribers":[1],"subscribers":[2]}',
    ]) {
      expect(parse(f), f).toBeUndefined();
    }
  });

  it('names the first element that does not parse, with its index and byte offset', () => {
    const text = '{"subscribers": [\n  {"name": "Seán"},\n  {"email": "x",},\n  3\n]}';
    const r = result(text);
    const start = text.indexOf('\n  {"email"');
    expect(r && 'bad' in r && r.bad).toMatchObject({ index: 1, byteOffset: Buffer.byteLength(text.slice(0, start)), text: '\n  {"email": "x",}' });
    expect(result('{"subscribers":[1,,2]}')).toMatchObject({ bad: { index: 1, text: '' } });
    expect(result('{"subscribers":[1,]}')).toMatchObject({ bad: { index: 1 } });
  });
});

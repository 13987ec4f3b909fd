// loadTaxonomy on real files: the shipped default and broken ones (TAXONOMY_INVALID naming file and field).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTaxonomy } from '../../src/adapters/taxonomy-file.js';
import { PaperboyError } from '../../src/errors.js';
import { stemPhrase } from '../../src/domain/nlp.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'paperboy-taxonomy-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, content: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

async function failure(path: string): Promise<PaperboyError> {
  const e = await loadTaxonomy(path).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(PaperboyError);
  expect((e as PaperboyError).code).toBe('TAXONOMY_INVALID');
  expect((e as PaperboyError).message).toContain(path);
  return e as PaperboyError;
}

const topic = (id: string, keywords: Record<string, number> = { [id]: 1 }) => ({ id, name: id, description: `About ${id}`, keywords });

describe('the default taxonomy (templates/topics.json)', () => {
  it('is valid, with 10-16 topics, each described and with many phrases', async () => {
    const t = await loadTaxonomy('templates/topics.json');
    expect(t.topics.length).toBeGreaterThanOrEqual(10);
    expect(t.topics.length).toBeLessThanOrEqual(16);
    for (const topic of t.topics) {
      expect(topic.name.length).toBeGreaterThan(0);
      expect(topic.description.length).toBeGreaterThan(20);
      expect(Object.keys(topic.keywords).length).toBeGreaterThanOrEqual(40);
      const multiWord = Object.keys(topic.keywords).filter((k) => stemPhrase(k).length > 1);
      expect(multiWord.length).toBeGreaterThan(10);
    }
  });
});

describe('loadTaxonomy errors', () => {
  it('names a missing file', async () => {
    const e = await failure(join(dir, 'nope.json'));
    expect(e.message).toMatch(/does not exist/);
  });

  it('names a file that is not JSON', async () => {
    const e = await failure(await write('bad.json', '{"topics": ['));
    expect(e.message).toMatch(/not valid JSON/);
  });

  it('names the bad field', async () => {
    const path = await write('field.json', { topics: [topic('ok'), { ...topic('Bad Id'), keywords: { x: -1 } }] });
    const e = await failure(path);
    expect(e.message).toContain('topics[1].id');
    expect(e.message).toContain('topics[1].keywords.x');
  });

  it('refuses the reserved "other" id and duplicate ids', async () => {
    expect((await failure(await write('other.json', { topics: [topic('other')] }))).message).toContain('topics[0].id');
    expect((await failure(await write('dup.json', { topics: [topic('a'), topic('a')] }))).message).toMatch(/topics\[1\]\.id: duplicate/);
  });

  it('refuses a keyword phrase without words', async () => {
    const e = await failure(await write('empty.json', { topics: [topic('a', { '--': 1 })] }));
    expect(e.message).toContain('topics[0].keywords["--"]');
  });

  it('loads a valid custom taxonomy with optional scoring and weights', async () => {
    const t = await loadTaxonomy(await write('custom.json', { topics: [{ ...topic('a'), weight: 0.5 }], scoring: { minScore: 1 } }));
    expect(t).toMatchObject({ topics: [{ id: 'a', categories: [], weight: 0.5 }], scoring: { minScore: 1 } });
  });
});

describe('the field model a taxonomy names', () => {
  it('is the shipped one by default, none with "model": null, and a file relative to the taxonomy otherwise', async () => {
    const shipped = await loadTaxonomy(await write('default-model.json', { topics: [topic('a')] }));
    expect(shipped.fieldModel?.classes.length).toBe(12);
    expect(shipped.fieldModel?.vocabulary.index.size).toBeGreaterThan(1000);

    expect((await loadTaxonomy(await write('no-model.json', { model: null, topics: [topic('a')] }))).fieldModel).toBeUndefined();
    expect((await loadTaxonomy('templates/topics.json', { fieldModel: false })).fieldModel).toBeUndefined();

    // A plain-JSON model next to the taxonomy: two classes, one term.
    const tiny = {
      format: 'paperboy-field-model/2',
      classes: [{ id: 'vision', categories: ['cs.CV'] }, { id: 'broad', categories: [] }],
      terms: ['pixel'],
      idf: [1],
      weightScale: 0.001,
      weights: Buffer.from(Int16Array.from([4000, -4000]).buffer).toString('base64'),
      bias: [0, 0],
    };
    await write('tiny-model.json', tiny);
    const own = await loadTaxonomy(await write('own-model.json', { model: 'tiny-model.json', topics: [topic('a')] }));
    expect(own.fieldModel?.classes.map((c) => c.id)).toEqual(['vision', 'broad']);
    expect(Array.from(own.fieldModel!.weights)).toEqual([4000, -4000]);
  });

  it('names a model file that is missing, not JSON, or not a model (FIELD_MODEL_INVALID)', async () => {
    const codeOf = async (model: string, content?: string) => {
      if (content !== undefined) await write(model, content);
      const e = await loadTaxonomy(await write(`uses-${model}.json`, { model, topics: [topic('a')] })).then(() => undefined, (err: unknown) => err);
      expect(e).toBeInstanceOf(PaperboyError);
      expect((e as PaperboyError).code).toBe('FIELD_MODEL_INVALID');
      expect((e as PaperboyError).message).toContain(join(dir, model));
      return (e as PaperboyError).message;
    };
    expect(await codeOf('absent.json.gz')).toMatch(/does not exist: rebuild it with `npm run train:topics`/);
    expect(await codeOf('garbage.json', 'not json')).toMatch(/is not gzipped or plain JSON/);
    expect(await codeOf('wrong.json', JSON.stringify({ format: 'paperboy-field-model/2', classes: [] }))).toMatch(/is not a paperboy field model \(classes: /);
  });
});

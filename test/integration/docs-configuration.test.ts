// Every setting the program reads is documented where users look it up.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENV_MAP } from '../../src/config.js';

const doc = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');

describe('docs/configuration.md', () => {
  it('names every environment variable and its config key', () => {
    const missing = Object.entries(ENV_MAP).filter(([env, key]) => !doc.includes(`\`${env}\``) || !doc.includes(`\`${key}\``));
    expect(missing).toEqual([]);
  });
});

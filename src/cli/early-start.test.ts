import { describe, expect, it } from 'vitest';
import { mjmlWorkerRunning, releaseMjml } from '../domain/render/mjml.js';
import { startEarly } from './early-start.js';

describe('startEarly', () => {
  it('is started early only for the commands that render (and not for their --help)', async () => {
    await releaseMjml();
    for (const args of [['status'], ['subscribers', 'list'], ['validate', 'x.json'], ['send', '--help'], ['preview', '-h'], []]) {
      startEarly(['node', 'paperboy', ...args]);
      expect(mjmlWorkerRunning(), args.join(' ')).toBe(false);
    }
    for (const args of [['send', 'digest.json'], ['preview']]) {
      startEarly(['node', 'paperboy', ...args]);
      expect(mjmlWorkerRunning(), args.join(' ')).toBe(true);
      // Released once the warm-up reply is in (a release waits for nothing in flight).
      await expect.poll(async () => (await releaseMjml(), mjmlWorkerRunning())).toBe(false);
    }
  });
});

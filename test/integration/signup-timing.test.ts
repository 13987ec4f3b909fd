// Sign-up timing must not tell who is subscribed: POST /subscribe to a real `paperboy serve`, one
// fresh address per request, new, pending, active and unsubscribed ones in shuffled rounds. The
// bound allows noise: P(an answer for that state is faster than one for a new address) must stay
// within 0.5 ± 0.1. With 150 answers a state its spread is about ±0.03, so noise alone crosses the
// bound rarely; answers that leak (active addresses answered without a write: about 0.7) cross it.
// `npm run bench:signup-timing` prints the figures.
import { describe, expect, it } from 'vitest';
import { measureSignupTiming, median, probabilityFaster } from '../helpers/signup-timing.js';

describe('sign-up timing', () => {
  it('answers new, pending, active and unsubscribed addresses alike', { timeout: 120_000 }, async () => {
    const t = await measureSignupTiming({ perState: 150, pauseMs: 5 });
    const figures = (['pending', 'active', 'unsubscribed'] as const).map((state) => ({
      state,
      pFaster: Number(probabilityFaster(t[state], t.new).toFixed(2)),
      medianMs: Number(median(t[state]).toFixed(1)),
    }));
    const summary = `new: median ${median(t.new).toFixed(1)} ms; ${JSON.stringify(figures)}`;
    for (const f of figures) expect(Math.abs(f.pFaster - 0.5), summary).toBeLessThan(0.1);
  });
});

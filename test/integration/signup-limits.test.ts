// The sign-up caps on both databases (rate-limiter-flexible over SQLite and PostgreSQL): mails are
// counted per canonical mailbox, per domain and in all, narrowest first; the hourly check before
// answering counts nothing; two counters over the same database share their counts.
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createSignupLimits, type StoredSignupLimits } from '../../src/adapters/signup-limits.js';
import { parseConfig } from '../../src/config.js';
import { BACKENDS, testStore, type Backend } from '../helpers/stores.js';

async function limitsOn(backend: Backend, signup: Record<string, number>): Promise<() => StoredSignupLimits> {
  const t = await testStore(backend);
  const caps = parseConfig({ signup }, {}).signup;
  const made: StoredSignupLimits[] = [];
  onTestFinished(async () => {
    for (const l of made) l.close();
    await t.dispose();
  });
  const path = join((t.target as { path?: string }).path ?? '', '..', 'limits.db');
  // Each call is another process's counters over the same database.
  return () => {
    const l = t.raw.dialect === 'postgres' ? createSignupLimits({ dialect: 'postgres', pool: t.raw.pool, label: t.store.label }, caps) : createSignupLimits({ dialect: 'sqlite', path }, caps);
    made.push(l);
    return l;
  };
}

describe.each(BACKENDS)('sign-up caps on %s', (backend) => {
  it('count one mailbox however it is spelled, and stop at the narrowest cap first', async () => {
    const limits = (await limitsOn(backend, { perAddressPer10Min: 2, perDomainPerHour: 4, totalPerHour: 5 }))();
    expect(await limits.takeMailTo('victim+1@example.org')).toBeNull();
    expect(await limits.takeMailTo('VICTIM+2@example.org')).toBeNull();
    expect(await limits.takeMailTo('victim@example.org')).toBe('address');
    // The refusal above used up none of the domain's allowance: two more at example.org, then its cap.
    expect(await limits.takeMailTo('ann@example.org')).toBeNull();
    expect(await limits.takeMailTo('bob@example.org')).toBeNull();
    expect(await limits.takeMailTo('eve@example.org')).toBe('domain');
    expect(await limits.takeMailTo('v.i.c.t.i.m@googlemail.com')).toBeNull();
    expect(await limits.takeMailTo('zed@example.net')).toBe('total');
  });

  it('tells before answering whether an hourly cap is used up, counting nothing, and shares the counts', async () => {
    const open = await limitsOn(backend, { perDomainPerHour: 2, totalPerHour: 3 });
    const first = open();
    const second = open();
    for (let i = 0; i < 5; i++) expect(await first.hourlyCapReached('ann@example.org')).toBeNull();
    expect(await first.takeMailTo('ann@example.org')).toBeNull();
    expect(await second.takeMailTo('bob@example.org')).toBeNull();
    const full = await second.hourlyCapReached('carl@example.org');
    expect(full).toMatchObject({ cap: 'domain' });
    expect(full!.retryAfterS).toBeGreaterThan(3500);
    expect(full!.retryAfterS).toBeLessThanOrEqual(3600);
    expect(await first.hourlyCapReached('dora@example.net')).toBeNull();
    expect(await first.takeMailTo('dora@example.net')).toBeNull();
    expect(await second.hourlyCapReached('erik@example.com')).toMatchObject({ cap: 'total' });
  });

  it('count sign-up requests per IP, IPv6 per /64', async () => {
    const limits = (await limitsOn(backend, { perIpPerHour: 2 }))();
    expect(await limits.allowRequestFrom('2001:db8:1:2::10')).toBe(true);
    expect(await limits.allowRequestFrom('2001:db8:1:2:ffff::1')).toBe(true);
    expect(await limits.allowRequestFrom('2001:db8:1:2::99')).toBe(false);
    expect(await limits.allowRequestFrom('192.0.2.1')).toBe(true);
  });
});

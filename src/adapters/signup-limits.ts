// Caps that keep the sign-up form from being used to mail-bomb an address or flood the list:
// confirmation mails per address (per 10 minutes and per day) and sign-up requests per client IP.
// In memory (rate-limiter-flexible): a restart forgets counts, which only ever allows one more mail.
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { Config } from '../config.js';
import { normaliseEmail } from '../domain/subscriber.js';

export interface SignupLimits {
  /** Counts one sign-up request from this IP; false once over the hourly cap. */
  allowRequestFrom(ip: string): Promise<boolean>;
  /** Counts one mail to this address; false once over either per-address cap. */
  allowMailTo(email: string): Promise<boolean>;
}

async function take(limiter: RateLimiterMemory, key: string): Promise<boolean> {
  try {
    await limiter.consume(key);
    return true;
  } catch (e) {
    // consume() rejects with a RateLimiterRes when over the cap, with an Error only on a bug.
    if (e instanceof Error) throw e;
    return false;
  }
}

/** IPv6 clients usually own a whole /64: count the prefix, not the address they rotate through. */
export function ipKey(ip: string): string {
  if (!ip.includes(':')) return ip;
  const groups = ip.split('%')[0]!.split('::');
  const head = (groups[0] ?? '').split(':').filter(Boolean);
  const tail = groups.length > 1 ? (groups[1] ?? '').split(':').filter(Boolean) : [];
  const full = [...head, ...Array<string>(Math.max(0, 8 - head.length - tail.length)).fill('0'), ...tail];
  return `${full.slice(0, 4).map((g) => g.toLowerCase().replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

export class MemorySignupLimits implements SignupLimits {
  private readonly perIp: RateLimiterMemory;
  private readonly perAddress10Min: RateLimiterMemory;
  private readonly perAddressDay: RateLimiterMemory;

  constructor(caps: Config['signup']) {
    this.perIp = new RateLimiterMemory({ keyPrefix: 'ip', points: caps.perIpPerHour, duration: 3600 });
    this.perAddress10Min = new RateLimiterMemory({ keyPrefix: 'a10', points: caps.perAddressPer10Min, duration: 600 });
    this.perAddressDay = new RateLimiterMemory({ keyPrefix: 'aday', points: caps.perAddressPerDay, duration: 86_400 });
  }

  allowRequestFrom(ip: string): Promise<boolean> {
    return take(this.perIp, ipKey(ip));
  }

  async allowMailTo(email: string): Promise<boolean> {
    const key = normaliseEmail(email);
    // The short window first, so a burst does not use up the day's allowance.
    return (await take(this.perAddress10Min, key)) && (await take(this.perAddressDay, key));
  }
}

// What a server says about when to come back: Retry-After (RFC 9110: seconds or an HTTP date) and
// the RateLimit / RateLimit-Policy fields Hugging Face sends (draft-ietf-httpapi-ratelimit-headers,
// e.g. `RateLimit: "api";r=0;t=120` and `RateLimit-Policy: "fixed window";"api";q=500;w=300`).
// The policy value is not a valid Structured Field (two bare strings in a row), so both are read
// parameter by parameter rather than with a Structured Fields parser. Pure.

/** The instant Retry-After names, or undefined when absent or unreadable. */
export function retryAfter(value: string | null | undefined, now: Date): Date | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (/^\d+$/.test(v)) return new Date(now.getTime() + Number(v) * 1000);
  // An HTTP date names its month ("Wed, 02 Dec 2026 07:41:00 GMT"); Date.parse would read "-5" as a year.
  if (!/[A-Za-z]{3}/.test(v)) return undefined;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : new Date(at);
}

export interface RateLimitInfo {
  /** Requests left in the current window. */
  remaining?: number;
  /** Seconds until the window resets. */
  resetSeconds?: number;
  /** Requests allowed per window (from the policy). */
  quota?: number;
  /** Window length in seconds (from the policy). */
  windowSeconds?: number;
}

function param(value: string, name: string): number | undefined {
  const m = new RegExp(`(?:^|;)\\s*${name}\\s*=\\s*(\\d+)`).exec(value);
  return m ? Number(m[1]) : undefined;
}

/** Reads RateLimit and RateLimit-Policy; fields that are absent or unreadable are left out. */
export function rateLimitInfo(rateLimit: string | null | undefined, policy: string | null | undefined): RateLimitInfo {
  const out: RateLimitInfo = {};
  if (rateLimit) {
    const r = param(rateLimit, 'r');
    const t = param(rateLimit, 't');
    if (r !== undefined) out.remaining = r;
    if (t !== undefined) out.resetSeconds = t;
  }
  if (policy) {
    const q = param(policy, 'q');
    const w = param(policy, 'w');
    if (q !== undefined) out.quota = q;
    if (w !== undefined) out.windowSeconds = w;
  }
  return out;
}

// The per-recipient state an open ledger keeps in memory during a run: state and attempt count
// only, packed in one small integer per address (no object, no timestamps, Message-ID or reply).
// At 100,000 recipients full records held ~43 MB; this holds ~5 MB. The details stay in the
// ledger file (Ledger.read replays them in full for `paperboy status`).
import { applyEvent, DELIVERY_STATES, type DeliveryState, type LedgerBrief, type LedgerEvent } from './ledger-state.js';

const CODE: Record<DeliveryState, number> = { pending: 0, sending: 1, sent: 2, failed: 3 };

export class LedgerBriefs implements ReadonlyMap<string, LedgerBrief> {
  /** attempts × 4 + state code; a brief object only when the key is not the address (test ledger). */
  private readonly packed = new Map<string, number | LedgerBrief>();

  /** Applies `ev` to the record under `key`; throws LedgerTransitionError for a disallowed move. */
  apply(key: string, ev: LedgerEvent): void {
    const prev = this.get(key);
    const next = applyEvent(prev && { ...prev, firstAt: '', updatedAt: '' }, ev);
    const brief = { email: next.email, state: next.state, attempts: next.attempts };
    this.packed.set(key, brief.email === key ? brief.attempts * 4 + CODE[brief.state] : brief);
  }

  get(key: string): LedgerBrief | undefined {
    const v = this.packed.get(key);
    if (typeof v !== 'number') return v;
    return { email: key, state: DELIVERY_STATES[v & 3]!, attempts: v >>> 2 };
  }

  has(key: string): boolean {
    return this.packed.has(key);
  }

  get size(): number {
    return this.packed.size;
  }

  *entries(): MapIterator<[string, LedgerBrief]> {
    for (const k of this.packed.keys()) yield [k, this.get(k)!];
  }

  keys(): MapIterator<string> {
    return this.packed.keys();
  }

  *values(): MapIterator<LedgerBrief> {
    for (const k of this.packed.keys()) yield this.get(k)!;
  }

  [Symbol.iterator](): MapIterator<[string, LedgerBrief]> {
    return this.entries();
  }

  forEach(fn: (value: LedgerBrief, key: string, map: ReadonlyMap<string, LedgerBrief>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.entries()) fn.call(thisArg, v, k, this);
  }
}

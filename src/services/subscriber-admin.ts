// Admin operations on subscribers (CLI, admin HTTP): each one a transaction on the rows it touches.
import { activateSubscriber, removeSubscriber, type AddOutcome, type RemoveOutcome, type SubscriberInput } from '../domain/subscriber-ops.js';
import { normaliseEmail } from '../domain/subscriber.js';
import type { SubscriberRows } from './store-ports.js';

export function addSubscriber(store: Pick<SubscriberRows, 'changeSubscriber'>, input: SubscriberInput, now: Date): Promise<AddOutcome> {
  return store.changeSubscriber(normaliseEmail(input.email), (current) => {
    const outcome = activateSubscriber(current, input, now, 'admin');
    return { ...(outcome.action === 'skipped' ? {} : { next: outcome.subscriber }), result: outcome };
  });
}

export function unsubscribeOrPurge(store: Pick<SubscriberRows, 'changeSubscriber'>, email: string, now: Date, opts: { purge?: boolean } = {}): Promise<RemoveOutcome> {
  return store.changeSubscriber(normaliseEmail(email), (current) => {
    const { next, ...outcome } = removeSubscriber(current, email, now, opts);
    return { ...(next !== undefined ? { next } : {}), result: outcome };
  });
}

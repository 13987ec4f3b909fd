// The secret that signs links in mail, when none is configured: generated once and kept in the
// database, so every process and machine sharing it signs and checks the same links. A new secret
// would break every unsubscribe link already sent, so an earlier one (a file from before the
// database) is taken over rather than replaced.
import { randomBytes } from 'node:crypto';
import type { SettingRows } from './store-ports.js';

const KEY = 'link-secret';

export async function linkSecret(store: SettingRows, earlier: () => Promise<string | undefined>): Promise<string> {
  const stored = await store.getSetting(KEY);
  if (stored) return stored;
  // Of two processes starting at once, the first value stored wins and both use it.
  return store.putSettingOnce(KEY, (await earlier()) ?? randomBytes(32).toString('base64url'));
}

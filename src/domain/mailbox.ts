// The mailbox an address delivers to, for counting mails per person: `ada+news@example.org` and
// `ada+x@example.org` reach the same inbox, and Gmail ignores dots in the local part (and serves
// googlemail.com as gmail.com). Used only as a key for caps; addresses are stored as typed.

/** Domains whose mailboxes ignore dots in the local part, mapped to the one name they share. */
const DOTLESS_DOMAINS: Readonly<Record<string, string>> = { 'gmail.com': 'gmail.com', 'googlemail.com': 'gmail.com' };

function split(email: string): { local: string; domain: string } {
  const normal = email.trim().toLowerCase();
  const at = normal.lastIndexOf('@');
  if (at < 0) return { local: normal, domain: '' };
  // A trailing dot on a domain is the same domain (DNS root).
  return { local: normal.slice(0, at), domain: normal.slice(at + 1).replace(/\.+$/, '') };
}

/** The domain mail to this address goes to, lower-cased (googlemail.com counts as gmail.com). */
export function mailDomain(email: string): string {
  const { domain } = split(email);
  return DOTLESS_DOMAINS[domain] ?? domain;
}

/** `local@domain` with any `+tag` dropped, and for Gmail the dots too; lower-cased. */
export function canonicalMailbox(email: string): string {
  const { local, domain } = split(email);
  const plus = local.indexOf('+');
  // "+tag" alone is not a tag of an empty mailbox: keep it as it is.
  let box = plus > 0 ? local.slice(0, plus) : local;
  const shared = DOTLESS_DOMAINS[domain];
  if (shared) box = box.replaceAll('.', '');
  return `${box}@${shared ?? domain}`;
}

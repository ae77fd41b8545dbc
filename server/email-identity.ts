// One person, one identity: the key an email address counts as when it stands
// for a person (share-to-save members through email claims, check-ins). Pure: no
// I/O. What the shop's mail provider delivers to the same inbox must give the same
// key, or one inbox becomes many "people" (ann@, ann+1@, a.nn@ on Gmail).
//
// The address itself is kept as typed (trimmed, lower-cased) for sending mail;
// only identity comparisons go through `emailIdentity`.
import { domainToASCII } from 'node:url';

/** Providers whose mailboxes ignore dots in the local part, and the domain their aliases fold into. */
const DOTLESS_PROVIDERS: Readonly<Record<string, string>> = {
  'gmail.com': 'gmail.com',
  'googlemail.com': 'gmail.com',
};

/** The address as people retype it: surrounding spaces and case do not make another person. */
export const normalizeEmailAddress = (email: string): string => email.trim().toLowerCase();

/**
 * The identity of an address: lower case; the domain in ASCII (IDNA) without a
 * trailing root dot; plus-addressing dropped (`ann+shop@` is `ann@`, as Gmail,
 * Outlook, iCloud, Fastmail and Proton deliver it); for Gmail and Googlemail, dots
 * in the local part dropped and the domain folded to gmail.com. A string that is
 * not an address comes back normalized but otherwise unchanged.
 */
export function emailIdentity(email: string): string {
  const address = normalizeEmailAddress(email);
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return address;
  let local = address.slice(0, at);
  let domain = address.slice(at + 1).replace(/\.$/, '');
  domain = domainToASCII(domain) || domain;
  const plus = local.indexOf('+');
  if (plus > 0) local = local.slice(0, plus);
  const folded = DOTLESS_PROVIDERS[domain];
  if (folded) {
    domain = folded;
    local = local.replaceAll('.', '');
  }
  return `${local}@${domain}`;
}

/** Whether two addresses reach the same person (the same inbox). */
export const sameEmailIdentity = (a: string, b: string): boolean => emailIdentity(a) === emailIdentity(b);

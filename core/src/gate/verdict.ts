/**
 * What the gate says of an envelope.
 * - accept: applied to its document.
 * - reject: refused for good (malformed, forged, replayed, oversize, from the future, invalid records);
 *   not kept.
 * - defer: refused for now and kept aside (a permission or membership the author lacks at that time, or
 *   a missing dependency); judged again whenever the group's history grows, so a role grant that
 *   arrives after the message it allows still lets the message in.
 */
export type Verdict =
  | { readonly kind: 'accept' }
  | { readonly kind: 'reject'; readonly reason: string }
  | { readonly kind: 'defer'; readonly reason: string }

export const ACCEPT: Verdict = { kind: 'accept' }
export const reject = (reason: string): Verdict => ({ kind: 'reject', reason })
export const defer = (reason: string): Verdict => ({ kind: 'defer', reason })

// The invite choices Tailchat offers, and which of them need unlimitedInvite (core's rule: no expiry,
// longer than 7 days, or no usage limit).
const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** Longest lifetime without unlimitedInvite (core's LIMITS.normalInviteMs). */
export const NORMAL_INVITE_MS = 7 * DAY

export const EXPIRY_OPTIONS = [
  { key: '30m', ms: 30 * MINUTE },
  { key: '1h', ms: HOUR },
  { key: '6h', ms: 6 * HOUR },
  { key: '12h', ms: 12 * HOUR },
  { key: '1d', ms: DAY },
  { key: '7d', ms: 7 * DAY },
  { key: 'never', ms: null },
] as const satisfies readonly { key: string; ms: number | null }[]

export type ExpiryKey = (typeof EXPIRY_OPTIONS)[number]['key']

/** null: unlimited. */
export const USE_OPTIONS: readonly (number | null)[] = [1, 5, 10, 25, 50, 100, null]

export function expiryMs(key: ExpiryKey): number | null {
  return EXPIRY_OPTIONS.find((o) => o.key === key)!.ms
}

export function needsUnlimitedInvite(lifetimeMs: number | null, maxUses: number | null): boolean {
  return lifetimeMs === null || lifetimeMs > NORMAL_INVITE_MS || maxUses === null
}

/** The defaults for someone with or without unlimitedInvite (Tailchat: 7 days, unlimited uses). */
export function defaultInviteChoice(unlimited: boolean): { expiry: ExpiryKey; maxUses: number | null } {
  return unlimited ? { expiry: '7d', maxUses: null } : { expiry: '7d', maxUses: 100 }
}

/** How an invite's expiry reads: 'never', 'expired', or the remaining time in the largest unit. */
export function remaining(
  expiresAt: number | null,
  now: number,
): { unit: 'never' | 'expired' | 'd' | 'h' | 'm'; n: number } {
  if (expiresAt === null) return { unit: 'never', n: 0 }
  const left = expiresAt - now
  if (left <= 0) return { unit: 'expired', n: 0 }
  if (left >= DAY) return { unit: 'd', n: Math.floor(left / DAY) }
  if (left >= HOUR) return { unit: 'h', n: Math.floor(left / HOUR) }
  return { unit: 'm', n: Math.max(1, Math.ceil(left / MINUTE)) }
}

// The relays this device uses, chosen by the person and kept per device (localStorage: a device
// setting, like the language). By default the one relay that served the app. Every listed relay
// carries the mailbox and WebRTC signaling (relay-transports.ts); each group records the list in my
// member record, invite links name the group's relays, and a joiner adds those of the link
// (client.ts). A change applies at once: listeners (onRelaysChanged) hear of it, from this tab or
// another tab of this browser.
import {
  INVITE_RELAY_LIMITS,
  inviteRelaysOf,
  isInviteRelayUrl,
  relaysOfMembers,
  type AuthorityState,
} from '@tailmesh/core'

export const RELAYS_KEY = 'tailmesh.relays'

/** Where the list is kept (localStorage in the app; anything with the same two methods in tests). */
export type RelayStore = Pick<Storage, 'getItem' | 'setItem'>

/** The relay that served this app: its origin and path, as a relay base URL. */
export function originRelay(
  location: Pick<Location, 'protocol' | 'host'> | undefined = globalThis.location,
): string | null {
  return location?.host ? `${location.protocol}//${location.host}` : null
}

/**
 * A relay base URL in one canonical form (origin plus path, no trailing slash, no query or
 * fragment), or null when `input` is not an http(s) or ws(s) address. ws(s) is accepted because a
 * relay's sockets are what people often copy.
 */
export function normalizeRelayUrl(input: string): string | null {
  let url: URL
  try {
    url = new URL(input.trim())
  } catch {
    return null
  }
  const protocol = { 'http:': 'http:', 'https:': 'https:', 'ws:': 'http:', 'wss:': 'https:' }[url.protocol]
  if (!protocol || url.username || url.password || !url.host) return null
  // A relay's own endpoints at the end of the path name the relay itself.
  const path = url.pathname.replace(/\/(mailbox|signal|healthz)\/?$/, '').replace(/\/+$/, '')
  const base = `${protocol}//${url.host}${path}`
  return isInviteRelayUrl(base) ? base : null
}

/** The relay's endpoints: ws(s) /mailbox and /signal, and http(s) /healthz. */
export function relayEndpointsAt(base: string): { mailbox: string; signal: string; healthz: string } {
  const ws = base.replace(/^http/, 'ws')
  return { mailbox: `${ws}/mailbox`, signal: `${ws}/signal`, healthz: `${base}/healthz` }
}

function defaultStore(): RelayStore | null {
  try {
    return globalThis.localStorage ?? null
  } catch {
    return null
  }
}

/** The list as kept, or the app's own relay when nothing is kept (never chosen). May be empty. */
export function savedRelays(store: RelayStore | null = defaultStore(), origin = originRelay()): string[] {
  try {
    const raw = store?.getItem(RELAYS_KEY)
    if (raw) {
      const parsed: unknown = JSON.parse(raw)
      if (Array.isArray(parsed))
        return unique(parsed.filter((u): u is string => typeof u === 'string').map(normalizeRelayUrl))
    }
  } catch {
    // unreadable: fall back to the default
  }
  return origin ? [origin] : []
}

const listeners = new Set<() => void>()

/** Calls `listener` whenever the list changes (here or in another tab); returns the unsubscribe. */
export function onRelaysChanged(listener: () => void): () => void {
  if (listeners.size === 0) globalThis.addEventListener?.('storage', fromOtherTab)
  listeners.add(listener)
  return () => {
    listeners.delete(listener)
    if (listeners.size === 0) globalThis.removeEventListener?.('storage', fromOtherTab)
  }
}

function fromOtherTab(event: Event): void {
  if ((event as StorageEvent).key === RELAYS_KEY) changed()
}

function changed(): void {
  for (const l of [...listeners]) l()
}

export function saveRelays(list: readonly string[], store: RelayStore | null = defaultStore()): string[] {
  const clean = unique(list.map(normalizeRelayUrl))
  try {
    store?.setItem(RELAYS_KEY, JSON.stringify(clean))
  } catch {
    // not kept: this session only
  }
  changed()
  return clean
}

/** Adds relays (an invite link's) to the kept list; returns those that were new. */
export function addRelays(
  urls: readonly string[],
  store: RelayStore | null = defaultStore(),
  origin = originRelay(),
): string[] {
  const current = savedRelays(store, origin)
  const fresh = unique(urls.map(normalizeRelayUrl)).filter((u) => !current.includes(u))
  if (fresh.length) saveRelays([...current, ...fresh], store)
  return fresh
}

/**
 * The relays an invite link made on this device names: the list without the relay that serves the
 * app (the link opens there anyway), at most as many as a link holds.
 */
export function inviteRelays(store: RelayStore | null = defaultStore(), origin = originRelay()): string[] {
  return savedRelays(store, origin)
    .filter((u) => u !== origin)
    .slice(0, INVITE_RELAY_LIMITS.maxRelays)
}

/**
 * The relays a group's invite link names: this device's first, then those most used by the group's
 * members (their member records), never the app's own relay, at most as many as a link holds.
 */
export function groupInviteRelays(
  state: AuthorityState,
  store: RelayStore | null = defaultStore(),
  origin = originRelay(),
): string[] {
  return inviteRelaysOf(state, savedRelays(store, origin), origin ? [origin] : [])
}

/** The relays a group's members use that this device does not (to offer them in Settings). */
export function othersRelays(
  states: readonly AuthorityState[],
  store: RelayStore | null = defaultStore(),
  origin = originRelay(),
): { url: string; members: number }[] {
  const mine = new Set(savedRelays(store, origin))
  const counts = new Map<string, number>()
  for (const state of states)
    for (const { url, members } of relaysOfMembers(state))
      if (!mine.has(url)) counts.set(url, (counts.get(url) ?? 0) + members)
  return [...counts].map(([url, members]) => ({ url, members })).sort((a, b) => b.members - a.members)
}

/** What this device records as its relays in each group: its list, as many as a record holds. */
export function recordedRelays(store: RelayStore | null = defaultStore(), origin = originRelay()): string[] {
  return recordedRelaysWith([], store, origin)
}

/** What it will record once `urls` (an invite link's) are added: for the member record of a join. */
export function recordedRelaysWith(
  urls: readonly string[],
  store: RelayStore | null = defaultStore(),
  origin = originRelay(),
): string[] {
  return unique([...savedRelays(store, origin), ...urls.map(normalizeRelayUrl)]).slice(
    0,
    INVITE_RELAY_LIMITS.maxRelays,
  )
}

function unique(urls: readonly (string | null)[]): string[] {
  return [...new Set(urls.filter((u): u is string => u !== null))]
}

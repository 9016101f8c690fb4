// The device's relay list: canonical URLs, the default (the app's own relay), adding an invite's
// relays, and what an invite link made here names.
import { describe, expect, it } from 'vitest'
import type { AuthorityState, MemberRecord } from '@tailmesh/core'
import {
  RELAYS_KEY,
  addRelays,
  groupInviteRelays,
  inviteRelays,
  normalizeRelayUrl,
  onRelaysChanged,
  othersRelays,
  recordedRelays,
  recordedRelaysWith,
  relayEndpointsAt,
  saveRelays,
  savedRelays,
  type RelayStore,
} from './relays'

function memoryStore(): RelayStore & { data: Map<string, string> } {
  const data = new Map<string, string>()
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) }
}

const ORIGIN = 'https://app.example'

describe('relay list', () => {
  it('writes relay addresses one way: http(s) base URL, no trailing slash or endpoint', () => {
    expect(normalizeRelayUrl(' https://relay.example/ ')).toBe('https://relay.example')
    expect(normalizeRelayUrl('wss://relay.example/mailbox')).toBe('https://relay.example')
    expect(normalizeRelayUrl('ws://127.0.0.1:8787/signal')).toBe('http://127.0.0.1:8787')
    expect(normalizeRelayUrl('https://host.example/tm/healthz?x=1#y')).toBe('https://host.example/tm')
    for (const bad of [
      '',
      'relay.example',
      'ftp://relay.example',
      'javascript:alert(1)',
      'https://a:b@relay.example',
    ])
      expect(normalizeRelayUrl(bad), bad).toBeNull()
    expect(relayEndpointsAt('https://host.example/tm')).toEqual({
      mailbox: 'wss://host.example/tm/mailbox',
      signal: 'wss://host.example/tm/signal',
      healthz: 'https://host.example/tm/healthz',
    })
  })

  it('is the app’s own relay until the person chooses, and may be emptied', () => {
    const store = memoryStore()
    expect(savedRelays(store, ORIGIN)).toEqual([ORIGIN])
    expect(saveRelays([ORIGIN, 'https://b.example/', 'https://b.example', 'nonsense'], store)).toEqual([
      ORIGIN,
      'https://b.example',
    ])
    expect(savedRelays(store, ORIGIN)).toEqual([ORIGIN, 'https://b.example'])
    saveRelays([], store)
    expect(savedRelays(store, ORIGIN)).toEqual([])
    store.data.set(RELAYS_KEY, '{not json')
    expect(savedRelays(store, ORIGIN)).toEqual([ORIGIN])
  })

  it('adds an invite’s relays once, keeping the order', () => {
    const store = memoryStore()
    expect(addRelays(['https://b.example', ORIGIN, 'https://c.example/'], store, ORIGIN)).toEqual([
      'https://b.example',
      'https://c.example',
    ])
    expect(addRelays(['https://b.example'], store, ORIGIN)).toEqual([])
    expect(savedRelays(store, ORIGIN)).toEqual([ORIGIN, 'https://b.example', 'https://c.example'])
  })

  it('names in invite links every relay but the app’s own, at most four', () => {
    const store = memoryStore()
    expect(inviteRelays(store, ORIGIN)).toEqual([])
    saveRelays([ORIGIN, ...['a', 'b', 'c', 'd', 'e'].map((h) => `https://${h}.example`)], store)
    expect(inviteRelays(store, ORIGIN)).toEqual(['a', 'b', 'c', 'd'].map((h) => `https://${h}.example`))
  })

  it('works without any storage (Node, storage blocked)', () => {
    expect(savedRelays(null, null)).toEqual([])
    expect(saveRelays(['https://b.example'], null)).toEqual(['https://b.example'])
  })

  it('tells listeners of every change to the list', () => {
    const store = memoryStore()
    let heard = 0
    const off = onRelaysChanged(() => heard++)
    saveRelays([ORIGIN, 'https://b.example'], store)
    addRelays(['https://c.example'], store, ORIGIN)
    addRelays(['https://c.example'], store, ORIGIN) // nothing new: no change
    off()
    saveRelays([ORIGIN], store)
    expect(heard).toBe(2)
  })
})

describe("a group's relays", () => {
  /** The part of a group's authority these functions read: its members and their records. */
  const group = (members: Record<string, string[] | undefined>, left: string[] = []): AuthorityState => {
    const records = new Map<string, MemberRecord>(
      Object.entries(members).map(([id, relays], i) => [
        id,
        { joinedAt: i, ...(relays ? { relays } : {}), ...(left.includes(id) ? { left: true as const } : {}) },
      ]),
    )
    return {
      info: { owner: Object.keys(members)[0] },
      members: records,
      bans: new Map(),
      kicks: new Map(),
    } as unknown as AuthorityState // only these fields are read (isMember)
  }

  it("names in invite links this device's relays, then the members' most used, never the app's own", () => {
    const store = memoryStore()
    saveRelays([ORIGIN, 'https://mine.example'], store)
    const state = group(
      {
        alice: [ORIGIN, 'https://b.example'],
        bob: [ORIGIN, 'https://b.example', 'https://c.example'],
        carol: undefined,
        dave: ['https://gone.example'],
      },
      ['dave'],
    )
    expect(groupInviteRelays(state, store, ORIGIN)).toEqual([
      'https://mine.example',
      'https://b.example',
      'https://c.example',
    ])
    // Settings offers what members use and this device does not, most used first.
    expect(othersRelays([state, group({ erin: ['https://c.example'] })], store, ORIGIN)).toEqual([
      { url: 'https://b.example', members: 2 },
      { url: 'https://c.example', members: 2 },
    ])
    saveRelays(
      ['a', 'b', 'c', 'd', 'e'].map((h) => `https://${h}.example`),
      store,
    )
    expect(recordedRelays(store, ORIGIN)).toHaveLength(4)
    // A join records the list with the link's relays, before they are added to it.
    saveRelays(['https://a.example'], store)
    expect(recordedRelaysWith(['wss://b.example/mailbox', 'https://a.example'], store, ORIGIN)).toEqual([
      'https://a.example',
      'https://b.example',
    ])
    expect(savedRelays(store, ORIGIN)).toEqual(['https://a.example'])
  })
})

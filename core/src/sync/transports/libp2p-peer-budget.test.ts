import { afterEach, describe, expect, it, vi } from 'vitest'
import { PeerBudget } from './libp2p-peer-budget'

const budget = (maxPeers: number, open: string[] = []) =>
  new PeerBudget(maxPeers, { openPeers: () => open, isRelay: (peer) => peer === 'relay' })

afterEach(() => {
  vi.useRealTimers()
})

describe('libp2p peer budget', () => {
  it('counts member connections once per peer, relays not at all', () => {
    expect(budget(3, ['relay', 'a', 'a', 'b']).memberConnections()).toBe(2)
  })

  it('admits peers up to the cap, counting those not connected yet; relays and known peers always', () => {
    const open = ['relay', 'a']
    const b = budget(3, open)
    expect(b.admit('b')).toBe(true)
    expect(b.admit('c')).toBe(true)
    expect(b.slotsUsed()).toBe(3)
    expect(b.admit('d')).toBe(false)
    // A second connection from a peer already linked (the WebRTC upgrade), pending or open.
    expect(b.admit('b')).toBe(true)
    expect(b.admit('a')).toBe(true)
    expect(b.admit('relay')).toBe(true)
    // b's connection opens: counted once, as a connection.
    open.push('b')
    expect(b.slotsUsed()).toBe(3)
    b.release('c')
    expect(b.admit('d')).toBe(true)
  })

  it('a dial claims a slot once; a peer neither connected nor failed stops counting after 20 s', () => {
    vi.useFakeTimers()
    const b = budget(2)
    expect(b.claim('a')).toBe(true)
    expect(b.claim('a')).toBe(false)
    expect(b.slotsUsed()).toBe(1)
    vi.advanceTimersByTime(20_001)
    expect(b.slotsUsed()).toBe(0)
    expect(b.claim('a')).toBe(true)
  })
})

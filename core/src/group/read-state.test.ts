import { describe, expect, it } from 'vitest'
import { ValidationError } from '../errors'
import { messageIdFor } from './documents'
import { ReadState, type ReadChange } from './read-state'

const G = 'group-1'
const P = 'panel-1'
const msg = (hlc: number, r = 'abcd') => ({ hlc, id: messageIdFor(hlc, r) })

describe('read state', () => {
  it('moves a mark forward only and tells listeners about real changes', () => {
    const rs = new ReadState()
    const seen: ReadChange[] = []
    const off = rs.onChange((c) => seen.push(c))
    expect(rs.lastRead(G, P)).toBeUndefined()

    expect(rs.markRead(G, P, msg(2000).id)).toBe(true)
    expect(rs.lastRead(G, P)).toBe(2000)
    expect(rs.markRead(G, P, msg(1000).id)).toBe(false) // older: ignored
    expect(rs.markRead(G, P, msg(2000).id)).toBe(false) // same: ignored
    expect(rs.lastRead(G, P)).toBe(2000)
    expect(rs.markRead(G, P, 3000)).toBe(true) // by time
    expect(seen).toEqual([
      { groupId: G, panelId: P },
      { groupId: G, panelId: P },
    ])

    off()
    rs.markRead(G, P, 4000)
    expect(seen).toHaveLength(2)
  })

  it('counts a message read at or before the mark, or when marked on its own', () => {
    const rs = new ReadState()
    const a = msg(1000, 'aaaa')
    const b = msg(1000, 'bbbb') // same time, later id
    const c = msg(5000)
    rs.markRead(G, P, a.id)
    expect(rs.isRead(G, P, a)).toBe(true)
    expect(rs.isRead(G, P, b)).toBe(false)
    expect(rs.isRead(G, 'other', a)).toBe(false)

    expect(rs.markItemRead(G, P, c.id)).toBe(true)
    expect(rs.isRead(G, P, c)).toBe(true)
    expect(rs.isRead(G, P, b)).toBe(false)
    expect(rs.lastRead(G, P)).toBe(1000) // the panel mark did not move

    // Once the mark passes an individually-read message, it is no longer stored separately.
    rs.markRead(G, P, 6000)
    expect(rs.toJSON().items).toEqual({})
    expect(rs.isRead(G, P, c)).toBe(true)
  })

  it('round-trips through JSON and refuses anything else', () => {
    const rs = new ReadState()
    rs.markRead(G, P, msg(1000).id)
    rs.markRead(G, 'p2', 7000)
    rs.markItemRead(G, P, msg(9000).id)
    const json = JSON.parse(JSON.stringify(rs.toJSON())) as unknown
    const back = ReadState.fromJSON(json)
    expect(back.toJSON()).toEqual(rs.toJSON())
    expect(back.isRead(G, P, msg(9000))).toBe(true)

    for (const bad of [
      null,
      [],
      { v: 2, marks: {}, items: {} },
      { v: 1, marks: [], items: {} },
      { v: 1, marks: { [G]: { [P]: { hlc: -1 } } }, items: {} },
      { v: 1, marks: { [G]: { [P]: { hlc: 1, extra: true } } }, items: {} },
      { v: 1, marks: { [G]: { [P]: { hlc: 1, messageId: msg(2).id } } }, items: {} },
      { v: 1, marks: {}, items: { [G]: { [P]: ['not-an-id!'] } } },
      { v: 1, marks: { '': { [P]: { hlc: 1 } } }, items: {} },
    ])
      expect(() => ReadState.fromJSON(bad), JSON.stringify(bad)).toThrow(ValidationError)
    expect(() => new ReadState().markRead(G, P, 'nope')).toThrow(ValidationError)
  })

  it('merges two devices by taking the later mark, in either order', () => {
    const phone = new ReadState()
    const laptop = new ReadState()
    phone.markRead(G, P, 5000)
    phone.markRead(G, 'p2', 1000)
    laptop.markRead(G, P, 3000)
    laptop.markRead(G, 'p2', 8000)
    laptop.markItemRead(G, P, msg(9000).id)

    const a = ReadState.fromJSON(phone.toJSON())
    a.merge(laptop)
    const b = ReadState.fromJSON(laptop.toJSON())
    b.merge(phone.toJSON())
    expect(a.toJSON()).toEqual(b.toJSON())
    expect(a.lastRead(G, P)).toBe(5000)
    expect(a.lastRead(G, 'p2')).toBe(8000)
    expect(a.isRead(G, P, msg(9000))).toBe(true)
  })
})

import type { MessageEvent } from '@tailmesh/plugin-sdk'
import { describe, expect, it } from 'vitest'
import { notificationFor, shouldNotify } from './rules'

const event: MessageEvent = {
  groupId: 'g1',
  groupName: 'Friends',
  panelId: 'p1',
  panelName: 'lobby',
  messageId: 'm1',
  author: 'bob',
  authorName: 'Bob',
  body: 'hi   @Alice\nhow are you',
  wallMs: 0,
  mentionsMe: true,
  direct: false,
}
const on = { hidden: true, permission: 'granted' as const, enabled: true }

describe('desktop notification rules', () => {
  it('notifies of a mention or a direct message while the tab is hidden and allowed', () => {
    expect(shouldNotify(event, on)).toBe(true)
    expect(shouldNotify({ ...event, mentionsMe: false, direct: true }, on)).toBe(true)
  })

  it('stays quiet for ordinary messages, a visible tab, no permission, or switched off', () => {
    expect(shouldNotify({ ...event, mentionsMe: false }, on)).toBe(false)
    expect(shouldNotify(event, { ...on, hidden: false })).toBe(false)
    expect(shouldNotify(event, { ...on, permission: 'default' })).toBe(false)
    expect(shouldNotify(event, { ...on, enabled: false })).toBe(false)
  })

  it('says who and where, with the text flattened and capped', () => {
    expect(notificationFor(event)).toEqual({
      title: 'Bob · Friends #lobby',
      body: 'hi @Alice how are you',
      tag: 'g1/m1',
    })
    expect(notificationFor({ ...event, direct: true, groupName: 'Bob' }).title).toBe('Bob · Bob')
    expect([...notificationFor({ ...event, body: '字'.repeat(500) }).body]).toHaveLength(140)
  })
})

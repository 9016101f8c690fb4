import { describe, expect, it } from 'vitest'
import type { PanelView } from '../client'
import { EXPIRY_OPTIONS, USE_OPTIONS, expiryMs, needsUnlimitedInvite, remaining } from './invite-options'
import { announcement, isAnnouncement, overrideState, setOverride } from './overrides'
import { moveTo, panelTree, reorder } from './panel-tree'
import { dependants, prerequisiteChain, togglePoint } from './points'

describe('invite options', () => {
  it("offers Tailchat's expiries and usage limits", () => {
    expect(EXPIRY_OPTIONS.map((o) => o.key)).toEqual(['30m', '1h', '6h', '12h', '1d', '7d', 'never'])
    expect(USE_OPTIONS).toEqual([1, 5, 10, 25, 50, 100, null])
    expect(expiryMs('1h')).toBe(3_600_000)
    expect(expiryMs('never')).toBeNull()
  })

  it('never, unlimited and over 7 days need unlimitedInvite', () => {
    expect(needsUnlimitedInvite(expiryMs('7d'), 100)).toBe(false)
    expect(needsUnlimitedInvite(expiryMs('30m'), 1)).toBe(false)
    expect(needsUnlimitedInvite(null, 1)).toBe(true)
    expect(needsUnlimitedInvite(expiryMs('1d'), null)).toBe(true)
    expect(needsUnlimitedInvite(expiryMs('7d')! + 1, 5)).toBe(true)
  })

  it('reads the time left in the largest unit', () => {
    expect(remaining(null, 0)).toEqual({ unit: 'never', n: 0 })
    expect(remaining(100, 100)).toEqual({ unit: 'expired', n: 0 })
    expect(remaining(3 * 86_400_000 + 5, 0)).toEqual({ unit: 'd', n: 3 })
    expect(remaining(2 * 3_600_000, 0)).toEqual({ unit: 'h', n: 2 })
    expect(remaining(90_000, 0)).toEqual({ unit: 'm', n: 2 })
  })
})

describe('role points with prerequisites', () => {
  it('knows chains and dependants', () => {
    expect(prerequisiteChain('editInvite')).toEqual(['unlimitedInvite', 'invite'])
    expect(dependants('invite')).toEqual(['unlimitedInvite', 'editInvite'])
    expect(dependants('groupDetail')).toContain('manageRoles')
  })

  it('checking a point checks its prerequisites; unchecking unchecks its dependants', () => {
    expect(togglePoint([], 'editInvite', true)).toEqual(['invite', 'unlimitedInvite', 'editInvite'])
    expect(togglePoint(['viewPanel'], 'managePanel', true)).toEqual([
      'viewPanel',
      'groupDetail',
      'managePanel',
    ])
    expect(
      togglePoint(['groupDetail', 'managePanel', 'manageRoles', 'message'], 'groupDetail', false),
    ).toEqual(['message'])
    expect(togglePoint(['invite', 'unlimitedInvite'], 'unlimitedInvite', false)).toEqual(['invite'])
  })

  it('keeps plugin points', () => {
    expect(togglePoint(['plugin.x.y'], 'message', true)).toEqual(['message', 'plugin.x.y'])
  })
})

const panel = (id: string, order: number, extra: Partial<PanelView> = {}): PanelView => ({
  id,
  name: id,
  type: 'text',
  order,
  ...extra,
})

describe('panel tree and reordering', () => {
  const panels = [
    panel('general', 0),
    panel('cat', 1, { type: 'category' }),
    panel('b', 1, { parentId: 'cat' }),
    panel('a', 0, { parentId: 'cat' }),
    panel('orphan', 2, { parentId: 'gone' }),
    panel('web', 3, { type: 'web', meta: { url: 'https://example.org' } }),
  ]

  it('nests panels in their category, in order; orphans go to the top level', () => {
    const tree = panelTree(panels)
    expect(tree.map((n) => n.panel.id)).toEqual(['general', 'cat', 'orphan', 'web'])
    expect(tree[1]!.children.map((p) => p.id)).toEqual(['a', 'b'])
  })

  it('moves up and down among siblings, renumbering only what changes', () => {
    expect(reorder(panels, 'general', -1)).toEqual([])
    expect(reorder(panels, 'general', 1)).toEqual([
      { id: 'cat', order: 0 },
      { id: 'general', order: 1 },
    ])
    expect(reorder(panels, 'a', 1)).toEqual([
      { id: 'b', parentId: 'cat', order: 0 },
      { id: 'a', parentId: 'cat', order: 1 },
    ])
    expect(reorder(panels, 'b', 1)).toEqual([])
  })

  it('drops a panel at a position (drag and drop)', () => {
    expect(moveTo(panels, 'web', 0).map((m) => [m.id, m.order])).toEqual([
      ['web', 0],
      ['general', 1],
      ['cat', 2],
      ['orphan', 3],
    ])
  })
})

describe('panel overrides', () => {
  it('sets, reads and clears an override', () => {
    const o = setOverride(undefined, 'mods', 'message', 'allow')
    expect(overrideState(o, 'mods', 'message')).toBe('allow')
    const d = setOverride(o, 'mods', 'message', 'deny')
    expect(d.roles?.mods).toEqual({ allow: [], deny: ['message'] })
    expect(setOverride(d, 'mods', 'message', 'inherit')).toEqual({})
  })

  it('announcement: everyone views and is denied message; speakers are allowed it', () => {
    const o = announcement(setOverride(undefined, 'old', 'message', 'allow'), ['mods'])
    expect(o.roles).toEqual({
      everyone: { allow: ['viewPanel'], deny: ['message'] },
      mods: { allow: ['message'], deny: [] },
    })
    expect(isAnnouncement(o)).toBe(true)
    expect(isAnnouncement(undefined)).toBe(false)
  })
})

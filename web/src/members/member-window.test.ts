import { describe, expect, it } from 'vitest'
import type { MemberSection, PresenceMember } from './member-sections'
import { flatIndex, locate, rowTop, totalHeight, windowOf } from './member-window'
import { shownSection } from './section-rows'

const g = { head: 30, row: 40 }

describe('member list window', () => {
  it('renders only the rows in view, the space of the rest kept', () => {
    // Two sections: 3 rows (30 + 120 px), then 1,000 rows (30 + 40,000 px).
    const lengths = [3, 1000]
    const w = windowOf(lengths, g, 1000, 1400)
    expect(w.before).toBe(150)
    expect(w.after).toBe(0)
    // The second section's rows start at 180 px: rows 20..30 cover 1000..1400.
    expect(w.parts).toEqual([{ section: 1, start: 20, end: 31 }])
    expect(totalHeight(lengths, g)).toBe(150 + 40_030)
  })

  it('a section whose heading alone is in view is rendered with no rows', () => {
    const w = windowOf([3, 5], g, 0, 160)
    expect(w.parts).toEqual([
      { section: 0, start: 0, end: 3 },
      { section: 1, start: 0, end: 0 },
    ])
    expect(w.after).toBe(0)
  })

  it('sections below the window stand as space', () => {
    const w = windowOf([2, 2, 2], g, 0, 100)
    expect(w.parts).toEqual([{ section: 0, start: 0, end: 2 }])
    expect(w.after).toBe(2 * 110)
  })

  it('positions across sections map to rows and back', () => {
    const lengths = [2, 0, 3]
    expect(locate(lengths, 0)).toEqual({ section: 0, i: 0 })
    expect(locate(lengths, 2)).toEqual({ section: 2, i: 0 })
    expect(locate(lengths, 99)).toEqual({ section: 2, i: 2 })
    expect(locate([0], 0)).toBeNull()
    expect(flatIndex(lengths, 2, 1)).toBe(3)
    expect(rowTop(lengths, g, 2, 1)).toBe(30 + 80 + 30 + 30 + 40)
  })
})

const member = (name: string, online: boolean): PresenceMember => ({
  userId: name.toLowerCase(),
  nickname: name,
  online,
  me: false,
  owner: false,
})
const section: MemberSection = {
  roleId: null,
  name: null,
  online: [member('Ann', true)],
  offline: [member('Bo', false), member('Cy', false)],
}
const keys = (s: ReturnType<typeof shownSection>) => Array.from({ length: s.length }, (_, i) => s.row(i).key)

describe('a section\u2019s rows', () => {
  it('every member, online first', () => {
    expect(keys(shownSection(section, false, false))).toEqual(['ann', 'bo', 'cy'])
  })

  it('in a huge group the offline members fold behind a row with their count, which opens them', () => {
    const folded = shownSection(section, true, false)
    expect(keys(folded)).toEqual(['ann', 'fold:everyone'])
    expect(folded.row(1)).toEqual({ kind: 'fold', key: 'fold:everyone', count: 2, open: false })
    expect(keys(shownSection(section, true, true))).toEqual(['ann', 'fold:everyone', 'bo', 'cy'])
    // Nobody offline: nothing to fold.
    expect(keys(shownSection({ ...section, offline: [] }, true, false))).toEqual(['ann'])
  })
})

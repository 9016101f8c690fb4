import { describe, expect, it } from 'vitest'
import { applyCompletion, findTrigger, matchCandidates, mentionedIn, writtenIn } from './autocomplete'
import fc from 'fast-check'
import { TimelineBuilder, buildTimeline, dayOf, type TimelineMessage } from './timeline'
import { RowHeights, spliceOf } from './windowing'

const MIN = 60_000
const base = new Date(2026, 2, 10, 9, 0).getTime()
const msg = (id: string, author: string, wallMs: number, extra: Partial<TimelineMessage> = {}) => ({
  id,
  author,
  hlc: wallMs * 4096,
  wallMs,
  state: 'normal',
  ...extra,
})

describe('timeline', () => {
  it('groups one author within 5 minutes and separates days', () => {
    const rows = buildTimeline([
      msg('a', 'alice', base),
      msg('b', 'alice', base + 4 * MIN),
      msg('c', 'alice', base + 10 * MIN),
      msg('d', 'bob', base + 11 * MIN),
      msg('e', 'bob', base + 24 * 60 * MIN),
    ])
    expect(rows.map((r) => (r.kind === 'message' ? `${r.key}${r.grouped ? '+' : ''}` : r.kind))).toEqual([
      'date',
      'a',
      'b+',
      'c',
      'd',
      'date',
      'e',
    ])
    expect(rows[0]).toMatchObject({ kind: 'date', dayMs: dayOf(base) })
  })

  it('a reply or a recalled message starts its own header', () => {
    const rows = buildTimeline([
      msg('a', 'alice', base),
      msg('b', 'alice', base + MIN, { replyTo: { id: 'x' } }),
      msg('c', 'alice', base + 2 * MIN, { state: 'recalled' }),
    ])
    expect(rows.filter((r) => r.kind === 'message' && r.grouped)).toEqual([])
  })

  it('puts the new-messages divider before the first later message not by me', () => {
    const ms = [msg('a', 'bob', base), msg('b', 'me', base + MIN), msg('c', 'bob', base + 2 * MIN)]
    const rows = buildTimeline(ms, { readMark: { hlc: ms[0]!.hlc, messageId: 'a' }, me: 'me' })
    expect(rows.map((r) => r.key)).toEqual(['date:' + dayOf(base), 'a', 'b', 'new-messages', 'c'])
    expect(buildTimeline(ms, { readMark: { hlc: ms[2]!.hlc }, me: 'me' }).some((r) => r.kind === 'new')).toBe(
      false,
    )
    // Never read: everything is new.
    expect(buildTimeline(ms, { readMark: { hlc: 0 } })[1]).toMatchObject({ kind: 'new' })
  })
})

describe('timeline by weeks', () => {
  const HOUR = 60 * MIN
  // Messages an hour or minutes apart across days, by two authors, some replies: split into runs.
  const arb = fc
    .array(
      fc.record({
        gap: fc.constantFrom(MIN, 3 * MIN, 6 * MIN, 5 * HOUR, 20 * HOUR),
        author: fc.constantFrom('alice', 'me'),
        reply: fc.boolean(),
        cut: fc.boolean(),
      }),
      { maxLength: 40 },
    )
    .map((specs) => {
      let t = base
      const runs: TimelineMessage[][] = [[]]
      specs.forEach((s, i) => {
        t += s.gap
        if (s.cut && runs.at(-1)!.length) runs.push([])
        runs.at(-1)!.push(msg(`m${String(i).padStart(3, '0')}`, s.author, t, s.reply ? { replyTo: {} } : {}))
      })
      return runs.filter((r) => r.length)
    })

  it('gives the rows of buildTimeline over the runs joined, as runs are prepended', () => {
    fc.assert(
      fc.property(arb, fc.integer({ min: 0, max: 45 }), (runs, markAt) => {
        const all = runs.flat()
        const options = { readMark: { hlc: all[markAt]?.hlc ?? 0 }, me: 'me' }
        const builder = new TimelineBuilder<TimelineMessage>(options)
        // Page back one run at a time, as the panel does.
        for (let k = runs.length - 1; k >= 0; k--) {
          const shown = runs.slice(k)
          expect(builder.build(shown)).toEqual(buildTimeline(shown.flat(), options))
        }
      }),
    )
  })

  it('keeps the row objects of the runs that did not change', () => {
    const older = [msg('a', 'alice', base)]
    const week1 = [msg('b', 'alice', base + 2 * MIN), msg('c', 'bob', base + 3 * MIN)]
    const week2 = [
      msg('d', 'bob', base + 10 * 24 * 60 * MIN),
      msg('e', 'bob', base + 10 * 24 * 60 * MIN + MIN),
    ]
    const builder = new TimelineBuilder<TimelineMessage>()
    const before = builder.build([week1, week2])
    const after = builder.build([older, week1, week2])
    // week1's first rows change (its date moves up to `a`, `b` is grouped under it); week2 is as it was.
    expect(after.map((r) => r.key)).toEqual(['date:' + dayOf(base), 'a', 'b', 'c', before[3]!.key, 'd', 'e'])
    expect(after.slice(-3)).toEqual(before.slice(-3))
    after.slice(-3).forEach((r, i) => expect(r).toBe(before.at(-3 + i)))
    expect(spliceOf(before, after)).toEqual({ start: 0, removed: 3, added: 4 })
  })
})

describe('autocomplete', () => {
  it('finds the @ or # token at the caret', () => {
    expect(findTrigger('hi @bo', 6)).toEqual({ kind: '@', query: 'bo', start: 3, end: 6 })
    expect(findTrigger('#gen', 4)).toEqual({ kind: '#', query: 'gen', start: 0, end: 4 })
    expect(findTrigger('mail@bob', 8)).toBeNull()
    expect(findTrigger('@bob hi', 7)).toBeNull()
    expect(findTrigger('(@', 2)).toEqual({ kind: '@', query: '', start: 1, end: 2 })
  })

  it('ranks prefix, then word start, then substring; case-insensitive; at most 20', () => {
    const people = ['Bob Ravensworth', 'Alice Bobson', 'Kabob', 'bobby', 'Carol'].map((label) => ({
      id: label,
      label,
    }))
    expect(matchCandidates(people, 'bob').map((c) => c.id)).toEqual([
      'Bob Ravensworth',
      'bobby',
      'Alice Bobson',
      'Kabob',
    ])
    const many = Array.from({ length: 50 }, (_, i) => ({ id: String(i), label: `user${i}` }))
    expect(matchCandidates(many, 'user')).toHaveLength(20)
    expect(matchCandidates(people, '')).toHaveLength(5)
  })

  it('applies a completion and keeps only mentions still in the text', () => {
    const t = findTrigger('hello @bo and more', 9)!
    expect(applyCompletion('hello @bo and more', t, 'Bob R')).toEqual({
      text: 'hello @Bob R and more',
      caret: 13,
    })
    const chosen = [
      { id: '1', label: 'Bob R' },
      { id: '2', label: 'Carol' },
      { id: '1', label: 'Bob R' },
    ]
    expect(mentionedIn('hi @Bob R!', '@', chosen)).toEqual([{ id: '1', label: 'Bob R' }])
  })
})

describe('windowing', () => {
  it('offsets, total and the visible range with measured heights', () => {
    const h = new RowHeights(50)
    h.reset(100_000, (i) => (i === 0 ? 100 : undefined))
    expect(h.total()).toBe(100 + 99_999 * 50)
    expect(h.offset(2)).toBe(150)
    expect(h.indexAt(0)).toBe(0)
    expect(h.indexAt(99)).toBe(0)
    expect(h.indexAt(100)).toBe(1)
    expect(h.range(1000, 500, 100)).toEqual({ start: 17, end: 32 })
    h.set(1, 80)
    expect(h.offset(2)).toBe(180)
    expect(h.total()).toBe(100 + 80 + 99_998 * 50)
    expect(h.indexAt(h.total() + 10)).toBe(99_999)
    expect(h.range(0, 0, 0)).toEqual({ start: 0, end: 1 })
  })

  it('keeps known heights across a reset (rows prepended)', () => {
    const h = new RowHeights(40)
    const known = new Map([['x', 70]])
    const keys = ['new1', 'new2', 'x']
    h.reset(3, (i) => known.get(keys[i]!))
    expect([h.height(0), h.height(2)]).toEqual([40, 70])
    expect(new RowHeights(10).range(0, 100, 10)).toEqual({ start: 0, end: 0 })
  })

  it('splices rows in, keeping the heights and offsets around them', () => {
    const h = new RowHeights(10)
    h.reset(5, (i) => 20 + i) // 20 21 22 23 24
    expect(h.total()).toBe(110)
    // Prepend two rows and replace the first old one: [7, 8, 9] + old[1..]
    h.splice(0, 1, 3, (i) => [7, 8, undefined][i])
    expect([0, 1, 2, 3, 4, 5, 6].map((i) => h.height(i))).toEqual([7, 8, 10, 21, 22, 23, 24])
    expect(h.offset(3)).toBe(25)
    expect(h.total()).toBe(25 + 90)
    // Append one, remove one from the middle.
    h.splice(7, 0, 1, () => 5)
    h.splice(2, 1, 0, () => undefined)
    expect(h.length).toBe(7)
    expect(h.total()).toBe(15 + 90 + 5)
    expect(h.indexAt(15)).toBe(2)
  })

  it('pages back week after week (splices at 0 past its spare room) with every height in place', () => {
    const h = new RowHeights(10)
    const model: number[] = []
    h.reset(0, () => undefined)
    for (let week = 0; week < 30; week++) {
      // A week of rows before the others, its last one a row of the next week rebuilt (measured 3).
      const rows = Array.from({ length: 40 + week }, (_, i) => week * 1000 + i)
      h.splice(0, model.length ? 1 : 0, rows.length + (model.length ? 1 : 0), (i) =>
        i < rows.length ? rows[i] : 3,
      )
      model.splice(0, model.length ? 1 : 0, ...rows, ...(model.length ? [3] : []))
      h.set(5, 7) // a row measured in view
      model[5] = 7
    }
    expect(h.length).toBe(model.length)
    expect(model.map((_, i) => h.height(i))).toEqual(model)
    expect(h.total()).toBe(model.reduce((a, b) => a + b, 0))
    expect(h.offset(100)).toBe(model.slice(0, 100).reduce((a, b) => a + b, 0))
  })

  it('finds the one splice between two row lists by identity', () => {
    const [a, b, c, d, e] = [{}, {}, {}, {}, {}]
    expect(spliceOf([a, b, c], [d, e, b, c])).toEqual({ start: 0, removed: 1, added: 2 })
    expect(spliceOf([a, b], [a, b, c])).toEqual({ start: 2, removed: 0, added: 1 })
    expect(spliceOf([a, b, c], [a, d, c])).toEqual({ start: 1, removed: 1, added: 1 })
    expect(spliceOf([a, a], [a])).toEqual({ start: 1, removed: 1, added: 0 })
    expect(spliceOf([], [a])).toEqual({ start: 0, removed: 0, added: 1 })
    expect(spliceOf([a], [a])).toEqual({ start: 1, removed: 0, added: 0 })
  })
})

describe('typed mentions', () => {
  const people = [
    { id: 'a', label: 'Ann' },
    { id: 'al', label: 'Ann Lee' },
    { id: 'b', label: 'Bob' },
  ]
  it('finds full names typed after @, the longest first, case-insensitively, at word ends only', () => {
    expect(writtenIn('hi @ann lee, and @Bob!', '@', people).map((c) => c.id)).toEqual(['al', 'b'])
    expect(writtenIn('@Ann: see mail@Bob and @Annabel', '@', people).map((c) => c.id)).toEqual(['a'])
    expect(writtenIn('nobody here @Carol', '@', people)).toEqual([])
  })
})

import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { TimelineBuilder, buildTimeline, dayOf, type TimelineMessage } from './timeline'

const MIN = 60_000
const base = new Date(2026, 2, 10, 9, 0).getTime()
const msg = (id: string, author: string, wallMs: number): TimelineMessage => ({
  id,
  author,
  hlc: wallMs * 4096,
  wallMs,
  state: 'normal',
})
const ev = (key: string, wallMs: number) => ({ key, hlc: wallMs * 4096 + 1, wallMs })
const shape = (rows: ReturnType<typeof buildTimeline>) =>
  rows.map((r) =>
    r.kind === 'message'
      ? `${r.key}${r.grouped ? '+' : ''}`
      : r.kind === 'system'
        ? `!${r.event.key}`
        : r.kind,
  )

describe('timeline with system rows', () => {
  it('places each event at its time, breaks grouping after it, and puts later ones at the end', () => {
    const rows = buildTimeline(
      [msg('a', 'alice', base), msg('b', 'alice', base + 2 * MIN), msg('c', 'alice', base + 3 * MIN)],
      { events: [ev('join', base + MIN), ev('mute', base + 10 * MIN)] },
    )
    expect(shape(rows)).toEqual(['date', 'a', '!join', 'b', 'c+', '!mute'])
  })

  it('gives an event on a new day its date row, and shows events with no messages at all', () => {
    const day2 = base + 24 * 60 * MIN
    expect(shape(buildTimeline([msg('a', 'alice', base)], { events: [ev('ban', day2)] }))).toEqual([
      'date',
      'a',
      'date',
      '!ban',
    ])
    const alone = new TimelineBuilder<TimelineMessage>({ events: [ev('join', base)] }).build([])
    expect(alone).toEqual([
      { kind: 'date', key: `date:${dayOf(base)}`, dayMs: dayOf(base) },
      { kind: 'system', key: 'system:join', event: ev('join', base) },
    ])
  })

  it('builds the same rows week by week as all at once', () => {
    const arb = fc.array(
      fc.record({
        gap: fc.constantFrom(MIN, 6 * MIN, 20 * 60 * MIN),
        event: fc.boolean(),
        cut: fc.boolean(),
      }),
      { maxLength: 30 },
    )
    fc.assert(
      fc.property(arb, (specs) => {
        let t = base
        const runs: TimelineMessage[][] = [[]]
        const events: ReturnType<typeof ev>[] = []
        specs.forEach((s, i) => {
          t += s.gap
          if (s.event) events.push(ev(`e${i}`, t))
          else {
            if (s.cut && runs.at(-1)!.length) runs.push([])
            runs.at(-1)!.push(msg(`m${String(i).padStart(3, '0')}`, 'alice', t))
          }
        })
        const options = { events }
        const builder = new TimelineBuilder<TimelineMessage>(options)
        const all = runs.filter((r) => r.length)
        for (let k = all.length - 1; k >= 0; k--)
          expect(builder.build(all.slice(k))).toEqual(buildTimeline(all.slice(k).flat(), options))
      }),
    )
  })
})

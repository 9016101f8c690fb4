// The whiteboard's model over real gates (core's test peers, envelopes carried by hand): the stroke
// codec and records, two people drawing at once converging, undo taking back only one's own strokes,
// and a viewer's edit refused by every peer with the reason.

import { describe, expect, it } from 'vitest'
import { encodeEnvelope, openPluginState } from '@tailmesh/core'
import { groupOf, join, person, sync, type Person } from '@tailmesh/core/test/peers'
import { recordsOf, readElement, elementKey, type PenElement, type BoardElement } from './element'
import { DRAW_POINT, WHITEBOARD_ID, manifest } from './manifest'
import { decodePoints, encodePoints, type Point } from './points-codec'
import { Board } from './scene'
import { S } from './strings'

/** Alice's group with a whiteboard; Bob may draw (a role with the point), Carol only watches. */
async function whiteboard() {
  const { owner: alice } = await groupOf()
  const bob = await person('bob', alice.groupId)
  const carol = await person('carol', alice.groupId)
  for (const p of [bob, carol]) await join(alice, p)
  const panel = await alice.actions.createPanel({
    name: 'board',
    type: 'plugin',
    meta: { pluginId: manifest.id, panelType: 'whiteboard' },
  })
  const artist = await alice.actions.createRole({ name: 'artist', points: [DRAW_POINT as never] })
  await alice.actions.assignRole(bob.identity.userId, artist)
  for (const p of [bob, carol]) await sync(alice, p)
  return { alice, bob, carol, panel }
}

const boardOf = async (p: Person, panel: string) =>
  new Board(await openPluginState(p.session, WHITEBOARD_ID, panel))

function scribble(id: string, by: string, n = 40, x = 100, y = 100): PenElement {
  const points: Point[] = []
  for (let i = 0; i < n; i++) points.push([i * 3, Math.round(Math.sin(i / 3) * 40) / 2 + 0])
  return { id, kind: 'pen', x, y, z: Date.now(), color: '#1e66f5', by, points, size: 6 }
}

const shapes = (b: Board) =>
  b
    .elements()
    .map((e) => `${e.kind}:${e.id}@${e.x},${e.y}`)
    .sort()

describe('stroke model', () => {
  it('points survive the compact code at half-unit precision, two characters a point', () => {
    const pts: Point[] = [
      [0, 0],
      [1.5, -2],
      [3, -4.5],
      [-700.5, 12000],
    ]
    expect(decodePoints(encodePoints(pts))).toEqual(pts)
    const smooth = scribble('aaaaaaaa', 'x', 200).points
    expect(encodePoints(smooth).length).toBeLessThan(smooth.length * 2.5)
    expect(() => decodePoints('!!')).toThrow(RangeError)
  })

  it('a long stroke continues in more entries, each within plugin state’s 2 KB, and reads back whole', () => {
    const long = scribble('longstroke', 'alice', 1500)
    const records = recordsOf(long)
    expect(records.size).toBeGreaterThan(1)
    for (const v of records.values()) expect(JSON.stringify(v).length).toBeLessThanOrEqual(2048)
    const chunks = [...records.values()].slice(1)
    const back = readElement('longstroke', records.get(elementKey('longstroke')), (n) => chunks[n - 1])
    expect(back).toMatchObject({ kind: 'pen', size: 6 })
    expect((back as PenElement).points).toEqual(long.points)
  })

  it('records that are not elements are skipped, hostile colours and all', () => {
    const rect: BoardElement = {
      id: 'rect1234',
      kind: 'rect',
      x: 0,
      y: 0,
      z: 1,
      color: '#000000',
      by: 'a',
      w: 5,
      h: 5,
      size: 2,
    }
    const good = recordsOf(rect).get(elementKey('rect1234'))
    expect(readElement('rect1234', good, () => undefined)).toEqual(rect)
    for (const bad of [
      null,
      'text',
      { ...(good as object), c: 'red" onload="x' },
      { ...(good as object), x: Infinity },
      { ...(good as object), k: 'script' },
      { ...(good as object), k: 'pen', s: 2, p: '***', n: 0 },
    ])
      expect(readElement('rect1234', bad, () => undefined)).toBeNull()
  })
})

describe('strings', () => {
  it('every text the board shows has a Simplified Chinese version', () => {
    const missing: string[] = []
    const walk = (o: object, path: string) => {
      for (const [k, v] of Object.entries(o))
        if ('en' in v) {
          if (!(v as { 'zh-CN'?: string })['zh-CN']) missing.push(`${path}${k}`)
        } else walk(v as object, `${path}${k}.`)
    }
    walk(S, '')
    expect(missing).toEqual([])
  })
})

describe('a board over real gates', () => {
  it('two people drawing at once converge on every peer', async () => {
    const { alice, bob, carol, panel } = await whiteboard()
    const [a, b] = [await boardOf(alice, panel), await boardOf(bob, panel)]
    await Promise.all([a.add(scribble('alice-one', 'alice')), b.add(scribble('bob-one', 'bob', 40, 300, 50))])
    await Promise.all([
      a.add({
        id: 'alice-rect',
        kind: 'rect',
        x: 0,
        y: 0,
        z: 2,
        color: '#d20f39',
        by: 'alice',
        w: 50,
        h: 30,
        size: 3,
      }),
      b.move(['bob-one'], 10, 10),
    ])
    // Envelopes cross in opposite orders.
    await sync(alice, bob)
    await sync(bob, alice)
    await sync(alice, carol)
    const c = await boardOf(carol, panel)
    for (const board of [a, b, c]) board.read()
    expect(shapes(a)).toEqual(['pen:alice-one@100,100', 'pen:bob-one@310,60', 'rect:alice-rect@0,0'])
    expect(shapes(b)).toEqual(shapes(a))
    expect(shapes(c)).toEqual(shapes(a))
  })

  it('undo takes back only my own strokes, and redo brings them back, on every peer', async () => {
    const { alice, bob, panel } = await whiteboard()
    const [a, b] = [await boardOf(alice, panel), await boardOf(bob, panel)]
    await a.add(scribble('alice-one', 'alice'))
    await sync(alice, bob)
    await b.add(scribble('bob-one', 'bob'))
    await sync(bob, alice)
    a.read()
    expect(a.history.canUndo()).toBe(true)
    await a.history.undo()
    expect(a.history.canUndo()).toBe(false)
    expect(a.history.canRedo()).toBe(true)
    await sync(alice, bob)
    for (const board of [a, b]) {
      board.read()
      expect(shapes(board)).toEqual(['pen:bob-one@100,100'])
    }
    // Nothing of Alice's left to undo: Bob's stroke stays.
    await a.history.undo()
    a.read()
    expect(shapes(a)).toEqual(['pen:bob-one@100,100'])
    await a.history.redo()
    await sync(alice, bob)
    b.read()
    expect(shapes(b)).toEqual(['pen:alice-one@100,100', 'pen:bob-one@100,100'])
    // Bob's own undo takes back his, not Alice's redone stroke.
    await b.history.undo()
    await sync(bob, alice)
    a.read()
    expect(shapes(a)).toEqual(['pen:alice-one@100,100'])
  })

  it("a viewer's edit is refused by every peer with the reason; the board is unchanged", async () => {
    const { alice, bob, carol, panel } = await whiteboard()
    const c = await boardOf(carol, panel)
    await expect(c.add(scribble('carol-one', 'carol'))).rejects.toThrow(
      /needs "plugin\.com\.tailmesh\.whiteboard\.draw"/,
    )
    const forged = encodeEnvelope(carol.outbox.at(-1)!)
    for (const p of [alice, bob]) {
      const verdict = await p.gate.receive(forged)
      expect(verdict).toMatchObject({
        reason: expect.stringMatching(/permission denied: .*whiteboard\.draw/),
      })
      const board = await boardOf(p, panel)
      expect(board.elements()).toEqual([])
    }
    c.read()
    expect(c.elements()).toEqual([])
  })
})

// THE conformance suite of StorageAdapter: every adapter (LevelDB in Node, IndexedDB in Chromium, memory)
// runs these same cases through a factory, so "the store" means one thing whichever one a device uses.
// The factory may forward to another process (a page in Chromium): the suite only awaits the adapter's
// promises and reads errors by `name`, which survives that trip.
import { afterEach, describe, expect, it } from 'vitest'
import type { DocumentStore, StorageAdapter, StoredEnvelope } from '../src/storage/storage'

/** One write a crash-test writer performs; the writer awaits each before the next. */
export type CrashWrite =
  | { kind: 'put'; groupId: string; docId: string; envelopes: StoredEnvelope[] }
  | { kind: 'remove'; groupId: string; docId: string; ids: string[] }
  | { kind: 'set'; scope: string; key: string; value: Uint8Array }

export interface StorageUnderTest {
  /** A fresh, empty store. */
  open(): Promise<StorageAdapter>
  /** The store last given by open(), opened again (the suite has closed its adapter). Omit if nothing persists. */
  reopen?(): Promise<StorageAdapter>
  /**
   * In a separate process (a Node child, a Chromium) over the store last given by open() (the suite has
   * closed its adapter): performs `writes` one after the other, reporting each acknowledgement, and is
   * killed hard (SIGKILL, no close, no flush) as soon as `killAfter` acknowledgements have been seen. The
   * writer never closes its store: after its last write it idles until killed. Resolves with the number
   * of acknowledgements seen before the kill; the suite then calls reopen().
   */
  crash?(writes: CrashWrite[], killAfter: number): Promise<number>
}

export function describeStorageConformance(name: string, under: StorageUnderTest): void {
  const opened: StorageAdapter[] = []
  const fresh = async () => {
    const adapter = await under.open()
    opened.push(adapter)
    return adapter
  }
  const reopened = async (previous: StorageAdapter) => {
    await previous.close()
    const adapter = await under.reopen!()
    opened.push(adapter)
    return adapter
  }

  describe(`StorageAdapter conformance: ${name}`, () => {
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((a) => a.close()))
    })

    it('loads exactly the bytes that were put (empty, every byte value, 256 KiB)', async () => {
      const store = await fresh()
      const doc = await store.document('g1', 'p/general/0')
      const envelopes = [
        { id: 'empty', bytes: new Uint8Array(0), accepted: true },
        { id: 'all-bytes', bytes: Uint8Array.from({ length: 256 }, (_, i) => i), accepted: false },
        { id: 'large', bytes: bytesOf(1, 256 * 1024), accepted: true },
      ]
      await doc.put(envelopes)
      expect(await loaded(doc)).toEqual(byId(envelopes))
    })

    it('keeps its own copy: changing the caller’s bytes after put or after load changes nothing', async () => {
      const store = await fresh()
      const doc = await store.document('g1', 'g')
      const bytes = bytesOf(2, 64)
      await doc.put([{ id: 'a', bytes, accepted: true }])
      bytes.fill(0)
      const [first] = await doc.load()
      first!.bytes.fill(7)
      expect(await loaded(doc)).toEqual({ a: { bytes: bytesOf(2, 64), accepted: true } })
    })

    it('overwrites an envelope with the same id: the gate’s verdict flips both ways', async () => {
      const store = await fresh()
      const doc = await store.document('g1', 'g')
      await doc.put([envelope('x', 1, false), envelope('y', 2, true)])
      await doc.put([envelope('x', 1, true)])
      expect(await loaded(doc)).toEqual(byId([envelope('x', 1, true), envelope('y', 2, true)]))
      await doc.put([envelope('x', 1, false), envelope('y', 3, false)])
      expect(await loaded(doc)).toEqual(byId([envelope('x', 1, false), envelope('y', 3, false)]))
    })

    it('removes the given ids only; unknown ids are ignored', async () => {
      const store = await fresh()
      const doc = await store.document('g1', 'g')
      await doc.put([envelope('a', 1), envelope('b', 2), envelope('c', 3)])
      await doc.remove(['a', 'c', 'never-stored'])
      expect(await loaded(doc)).toEqual(byId([envelope('b', 2)]))
      await doc.remove([])
      expect(Object.keys(await loaded(doc))).toEqual(['b'])
    })

    it('keeps documents apart, also two stores of one document open at once', async () => {
      const store = await fresh()
      const one = await store.document('g1', 'p/general/0')
      const other = await store.document('g1', 'p/general/1')
      const elsewhere = await store.document('g2', 'p/general/0')
      await one.put([envelope('a', 1)])
      await other.put([envelope('b', 2)])
      await elsewhere.put([envelope('c', 3)])
      expect(Object.keys(await loaded(one))).toEqual(['a'])
      expect(Object.keys(await loaded(other))).toEqual(['b'])
      expect(Object.keys(await loaded(elsewhere))).toEqual(['c'])
      const again = await store.document('g1', 'p/general/0')
      await again.put([envelope('d', 4)])
      expect(Object.keys(await loaded(again)).sort()).toEqual(['a', 'd'])
      // Both stores of one document are views of the same envelopes, each closed on its own.
      await one.remove(['a'])
      expect(Object.keys(await loaded(again))).toEqual(['d'])
      await again.close()
      expect(Object.keys(await loaded(one))).toEqual(['d'])
    })

    it('lists the documents of a group and the groups that have any (an opened empty one counts)', async () => {
      const store = await fresh()
      expect(await store.groups()).toEqual([])
      expect(await store.documents('g1')).toEqual([])
      await (await store.document('g1', 'g')).put([envelope('a', 1)])
      await (await store.document('g1', 'p/general/3')).put([envelope('b', 2)])
      await store.document('g2', 'g')
      // A group id that is a prefix of another must not pick up the other's documents.
      await (await store.document('g1x', 'g')).put([envelope('c', 3)])
      expect((await store.documents('g1')).sort()).toEqual(['g', 'p/general/3'])
      expect(await store.documents('g2')).toEqual(['g'])
      expect(await store.documents('nope')).toEqual([])
      expect((await store.groups()).sort()).toEqual(['g1', 'g1x', 'g2'])
    })

    it('keeps small values per scope: get, set, overwrite, delete', async () => {
      const store = await fresh()
      expect(await store.get('identity', 'key')).toBeUndefined()
      await store.set('identity', 'key', bytesOf(3, 32))
      await store.set('g1', 'key', bytesOf(4, 16))
      await store.set('g1', 'cursor', new Uint8Array(0))
      expect(await store.get('identity', 'key')).toEqual(bytesOf(3, 32))
      expect(await store.get('g1', 'key')).toEqual(bytesOf(4, 16))
      expect(await store.get('g1', 'cursor')).toEqual(new Uint8Array(0))
      // Scope and key must not run together: ('g1', 'key') is not ('g', '1key') or ('g1k', 'ey').
      expect(await store.get('g', '1key')).toBeUndefined()
      expect(await store.get('g1k', 'ey')).toBeUndefined()

      await store.set('g1', 'key', bytesOf(5, 8))
      expect(await store.get('g1', 'key')).toEqual(bytesOf(5, 8))
      expect(await store.get('identity', 'key')).toEqual(bytesOf(3, 32))

      await store.delete('g1', 'key')
      await store.delete('g1', 'never-set')
      expect(await store.get('g1', 'key')).toBeUndefined()
      expect(await store.get('g1', 'cursor')).toEqual(new Uint8Array(0))
      expect(await store.get('identity', 'key')).toEqual(bytesOf(3, 32))
    })

    it('drops one group entirely (documents, envelopes, values under its id) and nothing else', async () => {
      const store = await fresh()
      const gone = await store.document('g1', 'g')
      await gone.put([envelope('a', 1)])
      await (await store.document('g1', 'p/x/0')).put([envelope('b', 2)])
      await (await store.document('g1x', 'g')).put([envelope('c', 3)])
      await (await store.document('g2', 'g')).put([envelope('d', 4)])
      await store.set('g1', 'read', bytesOf(6, 4))
      await store.set('g2', 'read', bytesOf(7, 4))
      await store.set('identity', 'key', bytesOf(8, 4))

      await store.dropGroup('g1')

      expect((await store.groups()).sort()).toEqual(['g1x', 'g2'])
      expect(await store.documents('g1')).toEqual([])
      expect(await store.get('g1', 'read')).toBeUndefined()
      expect(await store.get('g2', 'read')).toEqual(bytesOf(7, 4))
      expect(await store.get('identity', 'key')).toEqual(bytesOf(8, 4))
      expect(await loaded(await store.document('g2', 'g'))).toEqual(byId([envelope('d', 4)]))
      expect(await loaded(await store.document('g1x', 'g'))).toEqual(byId([envelope('c', 3)]))
      // A store of the dropped group that was still open cannot write into the void.
      await expectClosed(gone.put([envelope('z', 9)]))
      // Joining again starts from nothing.
      expect(await (await store.document('g1', 'g')).load()).toEqual([])
    })

    it('loads 1,000 envelopes put in one call', async () => {
      const store = await fresh()
      const doc = await store.document('g1', 'p/busy/0')
      const envelopes = thousand('one')
      await doc.put(envelopes)
      expect(await loaded(doc)).toEqual(byId(envelopes))
    })

    it('loads 1,000 envelopes put in 1,000 concurrent calls', async () => {
      const store = await fresh()
      const doc = await store.document('g1', 'p/busy/0')
      const envelopes = thousand('many')
      await Promise.all(envelopes.map((e) => doc.put([e])))
      expect(await loaded(doc)).toEqual(byId(envelopes))
    })

    it('rejects use after close with StorageClosedError; closing twice is fine', async () => {
      const store = await fresh()
      const doc = await store.document('g1', 'g')
      await doc.put([envelope('a', 1)])
      await doc.close()
      await doc.close()
      await expectClosed(doc.load())
      await expectClosed(doc.put([envelope('b', 2)]))
      await expectClosed(doc.remove(['a']))

      const open = await store.document('g1', 'g')
      await store.close()
      await store.close()
      // Closing the adapter closes the document stores it gave out.
      await expectClosed(open.load())
      await expectClosed(store.document('g1', 'g'))
      await expectClosed(store.documents('g1'))
      await expectClosed(store.groups())
      await expectClosed(store.get('s', 'k'))
      await expectClosed(store.set('s', 'k', bytesOf(1, 1)))
      await expectClosed(store.delete('s', 'k'))
      await expectClosed(store.dropGroup('g1'))
    })

    if (under.reopen) {
      it('keeps everything across close and reopen', async () => {
        const first = await fresh()
        const doc = await first.document('g1', 'p/general/0')
        await doc.put([envelope('a', 1, true), envelope('b', 2, false), envelope('c', 3)])
        await doc.remove(['c'])
        await first.document('g2', 'g')
        await first.set('identity', 'key', bytesOf(9, 32))
        await first.set('g1', 'gone', bytesOf(9, 1))
        await first.delete('g1', 'gone')

        const second = await reopened(first)
        expect((await second.groups()).sort()).toEqual(['g1', 'g2'])
        expect(await second.documents('g1')).toEqual(['p/general/0'])
        expect(await loaded(await second.document('g1', 'p/general/0'))).toEqual(
          byId([envelope('a', 1, true), envelope('b', 2, false)]),
        )
        expect(await second.get('identity', 'key')).toEqual(bytesOf(9, 32))
        expect(await second.get('g1', 'gone')).toBeUndefined()
      })

      it('keeps 1,000 single puts and their overwrites across reopen', async () => {
        const first = await fresh()
        const doc = await first.document('g1', 'p/busy/0')
        const envelopes = thousand('reopen')
        for (const e of envelopes) await doc.put([e])
        const flipped = envelopes.slice(0, 100).map((e) => ({ ...e, accepted: !e.accepted }))
        await doc.put(flipped)
        await doc.remove(envelopes.slice(900).map((e) => e.id))
        const expected = byId([...flipped, ...envelopes.slice(100, 900)])

        const second = await reopened(first)
        expect(await loaded(await second.document('g1', 'p/busy/0'))).toEqual(expected)
      })

      it('a dropped group stays dropped after reopen', async () => {
        const first = await fresh()
        await (await first.document('g1', 'g')).put([envelope('a', 1)])
        await first.set('g1', 'k', bytesOf(1, 1))
        await (await first.document('g2', 'g')).put([envelope('b', 2)])
        await first.dropGroup('g1')

        const second = await reopened(first)
        expect(await second.groups()).toEqual(['g2'])
        expect(await second.get('g1', 'k')).toBeUndefined()
        expect(await (await second.document('g1', 'g')).load()).toEqual([])
      })
    }

    if (under.crash && under.reopen) {
      const crash = under.crash
      it('keeps everything acknowledged when the process is killed right after the last write resolved', async () => {
        await (await fresh()).close()
        const writes: CrashWrite[] = [
          { kind: 'put', groupId: 'g1', docId: 'p/general/0', envelopes: thousand('batch').slice(0, 300) },
          ...thousand('single')
            .slice(0, 40)
            .map((e): CrashWrite => ({ kind: 'put', groupId: 'g1', docId: 'g', envelopes: [e] })),
          { kind: 'set', scope: 'identity', key: 'key', value: bytesOf(11, 64) },
          { kind: 'remove', groupId: 'g1', docId: 'p/general/0', ids: ['batch-0', 'batch-1'] },
          { kind: 'put', groupId: 'g1', docId: 'g', envelopes: [envelope('single-0', 12, false)] },
        ]
        const acked = await crash(writes, writes.length)
        expect(acked).toBe(writes.length)

        const after = await under.reopen!()
        opened.push(after)
        expect(await stateOf(after, writes)).toEqual(stateAfter(writes, writes.length))
      })

      it('after a kill in the middle of a stream of writes, holds a prefix of them with every acknowledged one', async () => {
        await (await fresh()).close()
        const writes = stream(240)
        const killAfter = 80
        const acked = await crash(writes, killAfter)
        expect(acked).toBeGreaterThanOrEqual(killAfter)

        const after = await under.reopen!()
        opened.push(after)
        const state = await stateOf(after, writes)
        const prefixes: number[] = []
        for (let n = acked; n <= writes.length; n++) if (equal(state, stateAfter(writes, n))) prefixes.push(n)
        // Which prefix survived depends on timing; that one did, and it includes all acknowledged writes.
        expect(prefixes, `the store after the crash is no prefix of ≥ ${acked} writes`).not.toEqual([])
      })
    }
  })
}

// ---- what the cases are made of ----

/** Deterministic bytes (xorshift), so a mismatch names the same bytes on every run. */
export function bytesOf(seed: number, length: number): Uint8Array {
  const out = new Uint8Array(length)
  let x = (seed * 2654435761) >>> 0 || 1
  for (let i = 0; i < length; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    out[i] = x & 0xff
  }
  return out
}

function envelope(id: string, seed: number, accepted = true): StoredEnvelope {
  return { id, bytes: bytesOf(seed, 40 + (seed % 60)), accepted }
}

function thousand(prefix: string): StoredEnvelope[] {
  return Array.from({ length: 1000 }, (_, i) => envelope(`${prefix}-${i}`, i + 1, i % 3 !== 0))
}

type Contents = Record<string, { bytes: Uint8Array; accepted: boolean }>

function byId(envelopes: StoredEnvelope[]): Contents {
  const out: Contents = {}
  for (const e of envelopes) out[e.id] = { bytes: e.bytes, accepted: e.accepted }
  return out
}

async function loaded(doc: DocumentStore): Promise<Contents> {
  const envelopes = await doc.load()
  expect(new Set(envelopes.map((e) => e.id)).size, 'an id loaded twice').toBe(envelopes.length)
  return byId(envelopes)
}

async function expectClosed(promise: Promise<unknown>): Promise<void> {
  await expect(promise).rejects.toMatchObject({ name: 'StorageClosedError', message: /closed/ })
}

/** A mixed stream: puts of one or a few envelopes, overwrites, removes and values, all in two documents. */
function stream(length: number): CrashWrite[] {
  const writes: CrashWrite[] = []
  for (let i = 0; i < length; i++) {
    // Six writes in a row go to one document, so the overwrites and removes below hit earlier puts.
    const docId = Math.floor(i / 6) % 2 ? 'g' : 'p/general/0'
    switch (i % 6) {
      case 0:
      case 1:
      case 2:
        writes.push({
          kind: 'put',
          groupId: 'g1',
          docId,
          envelopes: [envelope(`s-${i}`, i + 1, i % 4 !== 0)],
        })
        break
      case 3:
        writes.push({
          kind: 'put',
          groupId: 'g1',
          docId,
          envelopes: [
            envelope(`s-${i - 3}`, i + 7, false),
            envelope(`s-${i}`, i + 1),
            envelope(`t-${i}`, i + 2),
          ],
        })
        break
      case 4:
        writes.push({ kind: 'remove', groupId: 'g1', docId, ids: [`s-${i - 2}`, `s-${i - 4}`] })
        break
      default:
        writes.push({
          kind: 'set',
          scope: i % 4 === 1 ? 'g1' : 'identity',
          key: `k-${i % 5}`,
          value: bytesOf(i, 8),
        })
    }
  }
  return writes
}

interface State {
  docs: Record<string, Contents>
  values: Record<string, Uint8Array | undefined>
}

function stateAfter(writes: CrashWrite[], n: number): State {
  const state = emptyState(writes)
  for (const w of writes.slice(0, n)) {
    if (w.kind === 'set') state.values[`${w.scope} ${w.key}`] = w.value
    else {
      const doc = state.docs[`${w.groupId} ${w.docId}`]!
      if (w.kind === 'put') Object.assign(doc, byId(w.envelopes))
      else for (const id of w.ids) delete doc[id]
    }
  }
  return state
}

function emptyState(writes: CrashWrite[]): State {
  const state: State = { docs: {}, values: {} }
  for (const w of writes)
    if (w.kind === 'set') state.values[`${w.scope} ${w.key}`] = undefined
    else state.docs[`${w.groupId} ${w.docId}`] = {}
  return state
}

async function stateOf(adapter: StorageAdapter, writes: CrashWrite[]): Promise<State> {
  const state = emptyState(writes)
  for (const name of Object.keys(state.docs)) {
    const [groupId = '', docId = ''] = name.split(' ')
    state.docs[name] = await loaded(await adapter.document(groupId, docId))
  }
  for (const name of Object.keys(state.values)) {
    const [scope = '', key = ''] = name.split(' ')
    state.values[name] = await adapter.get(scope, key)
  }
  return state
}

function equal(a: State, b: State): boolean {
  try {
    expect(a).toEqual(b)
    return true
  } catch {
    return false
  }
}

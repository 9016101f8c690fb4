// Compaction from a member's side, with a mailbox link that only records what it is asked to upload:
// a history larger than one chunk goes up as several sealed bundles, each within the chunk size, the
// group document's envelopes first, every envelope exactly once.
import { describe, expect, it } from 'vitest'
import { decodeEnvelope, envelopeId } from '../../envelope/envelope'
import { createGroup } from '../../group/create'
import { GROUP_DOC_ID } from '../../group/documents'
import { Identity } from '../../identity/identity'
import { noLogger } from '../../log/logger'
import { MemoryStorage } from '../../storage/memory'
import { until } from '../../../test/until'
import { decodeSyncFrame } from '../frames'
import type { MailboxLink } from '../transports/mailbox'
import { MailboxUpkeep, bundles } from './mailbox-upkeep'

describe('mailbox upkeep: compaction', () => {
  it('uploads a history larger than a chunk in several, the group document first, each envelope once', async () => {
    const identity = await Identity.create()
    const created = await createGroup(identity, { name: 'Chunked' })
    const general = created.panelIds[0]!
    for (let i = 0; i < 12; i++) await created.actions.send(general, `${i} ${'words '.repeat(100)}`)
    // A role change after the messages: still among the first envelopes uploaded.
    await created.actions.createRole({ name: 'Late role', points: [] })
    await created.gate.idle()

    const uploads: { upTo: number; chunks: Uint8Array[] }[] = []
    const link = {
      compact: (upTo: number, snapshot: Uint8Array | readonly Uint8Array[]) => {
        uploads.push({ upTo, chunks: snapshot instanceof Uint8Array ? [snapshot] : [...snapshot] })
        return Promise.resolve()
      },
    } as unknown as MailboxLink
    const compacted: number[] = []
    const upkeep = new MailboxUpkeep({
      groupId: created.groupId,
      storage: new MemoryStorage(),
      gate: created.gate,
      durable: () => Promise.resolve(),
      sealNow: (bytes) => Promise.resolve(bytes),
      compactAfter: 1,
      snapshotChunkBytes: 2048,
      compacted: (upTo) => compacted.push(upTo),
      log: noLogger.forComponent('test'),
    })
    await upkeep.advance('mailbox/topic', 7, link, true)
    await until('the snapshot is uploaded', () => compacted.length > 0)
    expect(compacted).toEqual([7])
    const [{ upTo, chunks }] = uploads as [{ upTo: number; chunks: Uint8Array[] }]
    expect(upTo).toBe(7)
    expect(chunks.length).toBeGreaterThan(2)
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(2048)
    const envelopes = chunks.flatMap((c) => {
      const frame = decodeSyncFrame(c)
      if (frame.type !== 'bundle') throw new Error('not a bundle')
      return frame.envelopes.map(decodeEnvelope)
    })
    const docs = envelopes.map((e) => e.docId)
    expect(docs.lastIndexOf(GROUP_DOC_ID)).toBeLessThan(docs.findIndex((d) => d !== GROUP_DOC_ID))
    const held = [...created.gate.accepted()].map(envelopeId).sort()
    expect(envelopes.map(envelopeId).sort()).toEqual(held)
  })

  it('bundles envelopes in order within a budget, a larger one alone', () => {
    const sized = (n: number) => new Uint8Array(n)
    const out = bundles([sized(40), sized(40), sized(200), sized(10), sized(10)], 100)
    expect(out.map((b) => b.map((e) => e.length))).toEqual([[40, 40], [200], [10, 10]])
    expect(bundles([], 100)).toEqual([])
  })
})

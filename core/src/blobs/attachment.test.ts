// Attachment records: what a message may carry, and what every peer's gate refuses.
import { describe, expect, it } from 'vitest'
import { groupOf, join, person, sync } from '../../test/peers'
import { encodeEnvelope } from '../envelope/envelope'
import { hlcFromWall } from '../envelope/hlc'
import { PanelRoot, bucketOfWallMs, messageIdFor, panelDocId } from '../group/documents'
import { listMessages } from '../group/history'
import { validateMessage } from '../group/records'
import { blobHash } from './blob-hash'
import { type Attachment } from './attachment'
import { BLOB_LIMITS } from './limits'

const HASH = 'ab'.repeat(32)
const file = (over: Partial<Attachment> = {}): Attachment => ({
  hash: HASH,
  name: 'photo.png',
  mime: 'image/png',
  size: 1234,
  ...over,
})
const userId = 'q'.repeat(42) + 'A'
const message = (attachments: unknown) => ({ author: userId, hlc: 1, body: '', attachments })

describe('attachment records', () => {
  it('a message carries files with an inline thumbnail, and an empty body is fine', async () => {
    const hash = await blobHash(new Uint8Array([1, 2, 3]))
    expect(hash).toBe('039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81')
    const ok = file({ hash, width: 640, height: 480, thumb: 'data:image/webp;base64,UklGRg==' })
    expect(validateMessage(message([ok])).attachments).toEqual([ok])
  })

  it('refuses malformed and oversized attachments', () => {
    const check = (attachments: unknown) => () => validateMessage(message(attachments))
    expect(check([file()])).not.toThrow()
    expect(check([])).toThrow(/list of 1–10/)
    expect(
      check(Array.from({ length: 11 }, (_, i) => file({ hash: i.toString(16).padStart(64, '0') }))),
    ).toThrow(/list of 1–10/)
    expect(check([file(), file()])).toThrow(/repeats a file/)
    expect(check([file({ hash: 'AB'.repeat(32) })])).toThrow(/hash/)
    expect(check([file({ size: BLOB_LIMITS.maxBytes + 1 })])).toThrow(/size must be at most/)
    expect(check([file({ name: '' })])).toThrow(/name/)
    expect(check([file({ name: 'x'.repeat(256) })])).toThrow(/name/)
    expect(check([file({ name: 'a\nb' })])).toThrow(/control characters/)
    expect(check([file({ mime: 'text/html; charset=utf-8' })])).toThrow(/media type/)
    expect(check([file({ width: 10 })])).toThrow(/both width and height/)
    expect(check([{ ...file(), url: 'https://example.com/x.png' }])).toThrow(/unknown field "url"/)
    expect(check([file({ thumb: 'data:image/svg+xml;base64,PHN2Zz4=' })])).toThrow(/PNG, JPEG or WebP/)
    expect(check([file({ thumb: 'https://example.com/t.png' })])).toThrow(/PNG, JPEG or WebP/)
    expect(check([file({ thumb: 'data:image/png;base64,' + 'A'.repeat(BLOB_LIMITS.thumbDataUrl) })])).toThrow(
      /thumb must be at most/,
    )
    expect(check([file({ thumb: 'cd'.repeat(32) })])).not.toThrow() // a thumbnail blob
    const thumb = 'data:image/png;base64,' + 'A'.repeat(BLOB_LIMITS.thumbDataUrl - 40)
    const five = Array.from({ length: 5 }, (_, i) => file({ hash: i.toString(16).padStart(64, '0'), thumb }))
    expect(check(five)).toThrow(/thumbnails of one message must total/)
    expect(() => validateMessage({ ...message([file()]), deleted: { by: userId, at: 2 } })).toThrow(
      /keeps no attachments/,
    )
  })

  it('travels with its message; a peer writing an oversized list past its own checks is refused by the others', async () => {
    const { owner: alice, general } = await groupOf()
    const bob = await person('bob', alice.groupId)
    await join(alice, bob)
    const hash = await blobHash(new TextEncoder().encode('hello'))
    const { id: id } = await alice.actions.send(general, '', {
      attachments: [{ hash, name: 'hello.txt', mime: 'text/plain', size: 5 }],
    })
    await sync(alice, bob)
    const got = listMessages(bob.gate, general).messages.find((m) => m.id === id)
    expect(got?.attachments).toEqual([{ hash, name: 'hello.txt', mime: 'text/plain', size: 5 }])

    await expect(
      alice.actions.send(general, 'x', { attachments: [file({ size: BLOB_LIMITS.maxBytes + 1 })] }),
    ).rejects.toThrow(/size must be at most/)

    // Written straight into the document (a modified client): every other gate refuses it.
    const hlc = hlcFromWall(Date.now())
    const forged = await bob.session.transact(panelDocId(general, bucketOfWallMs(Date.now())), (doc) =>
      doc.getMap(PanelRoot.messages).set(messageIdFor(hlc, 'forged01'), {
        author: bob.identity.userId,
        hlc,
        body: '',
        attachments: [file({ thumb: 'data:image/svg+xml;base64,PHN2Zz4=' })],
      }),
    )
    expect(forged).toBeDefined()
    const [verdict] = await alice.gate.receiveMany([encodeEnvelope(forged!)])
    expect(verdict).toMatchObject({ kind: 'reject', reason: expect.stringMatching(/PNG, JPEG or WebP/) })
  })
})

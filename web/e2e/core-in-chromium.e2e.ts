// @tailmesh/core in real Chromium, talking to core in Node: the same envelopes, gate and backup file
// work on both sides. The page (pages/core-page.ts) is one person; a Node person (node-person.ts, the
// shape of core/test/peers.ts `person`) is the other. No network between them: the test carries the
// encoded bytes, as a transport would.
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { decodeEnvelope, encodeEnvelope, importIdentityBackup } from '@tailmesh/core'
import { launchPerson, serveTestPage, type Person, type StaticServer } from './harness'
import { nodePerson, type NodePerson } from './node-person'
import { fromBase64, toBase64 } from './pages/base64'
import type { MadeGroup } from './pages/core-page-api'

const entry = fileURLToPath(new URL('./pages/core-page.ts', import.meta.url))

let server: StaticServer
let alice: Person

beforeAll(async () => {
  server = await serveTestPage('Tailmesh core in Chromium', entry)
  alice = await launchPerson('alice')
})

afterAll(async () => {
  await alice?.close()
  await server?.close()
})

beforeEach(async () => {
  // A fresh page for each test: a new identity and group, nothing left from the test before.
  await alice.page.goto(server.url('/'))
  await alice.page.waitForFunction(() => window.tailmeshCore !== undefined)
})

afterEach(() => {
  // Taken out, so one test's page errors fail that test only.
  expect(alice.errors.splice(0), 'errors in the page').toEqual([])
})

const makeGroup = (name: string, messages: string[]): Promise<MadeGroup> =>
  alice.page.evaluate(([n, m]) => window.tailmeshCore!.makeGroup(n, m), [name, messages] as const)

const toPage = (envelopes: Uint8Array[]) =>
  alice.page.evaluate((e) => window.tailmeshCore!.receive(e), envelopes.map(toBase64))

/** The page's rendered messages of the general panel, found by role and name. */
const messages = () => alice.page.getByRole('list', { name: 'Messages in general' }).getByRole('listitem')

/** Bob, in Node, receives the page's envelopes through his gate and joins with the invite. */
async function bobJoins(made: MadeGroup): Promise<NodePerson> {
  const bob = await nodePerson('bob', made.groupId)
  const verdicts = await bob.gate.receiveMany(made.envelopes.map(fromBase64))
  expect(verdicts).toEqual(made.envelopes.map(() => ({ kind: 'accept' })))
  await bob.actions.join(fromBase64(made.inviteSecret))
  return bob
}

describe('core in Chromium', () => {
  it('has WebCrypto Ed25519, X25519 and AES-GCM', async () => {
    const report = await alice.page.evaluate(() => window.tailmeshCore!.webCrypto())
    // Fails loudly, naming what is missing: core cannot run at all without these.
    expect(report.errors, `this Chromium lacks WebCrypto algorithms core needs`).toEqual([])
    expect(report).toMatchObject({ ed25519: true, x25519: true, aesGcm: true })
  })

  it('a group made in Chromium is joined and answered from Node, and the page shows the reply', async () => {
    const made = await makeGroup('Tailmesh team', ['hello from chromium', 'anyone there?'])
    expect(made.messageIds).toHaveLength(2)

    const bob = await bobJoins(made)
    expect(bob.gate.authority().info?.name).toBe('Tailmesh team')
    expect(bob.gate.authority().info?.owner).toBe(made.userId)
    expect(bob.actions.message(made.general, made.messageIds[0]!)).toMatchObject({
      author: made.userId,
      body: 'hello from chromium',
    })
    const { id: replyId } = await bob.actions.reply(made.general, made.messageIds[0]!, 'hi alice, from node')

    // Bob's join and reply go back into the page: its gate accepts both.
    const verdicts = await toPage(bob.outbox.map(encodeEnvelope))
    expect(verdicts).toEqual([{ kind: 'accept' }, { kind: 'accept' }])
    const reply = await alice.page.evaluate((id) => window.tailmeshCore!.message(id), replyId)
    expect(reply).toEqual({
      author: bob.identity.userId,
      body: 'hi alice, from node',
      replyTo: { id: made.messageIds[0], excerpt: 'hello from chromium' },
    })

    await messages().filter({ hasText: 'hi alice, from node' }).waitFor()
    expect(await messages().allTextContents()).toEqual([
      'hello from chromium',
      'anyone there?',
      '↪ hello from chromium — hi alice, from node',
    ])
  })

  it('the gate in Chromium refuses a tampered envelope from Node, with a reason', async () => {
    const made = await makeGroup('Tampering', ['hello'])
    const bob = await bobJoins(made)
    await bob.actions.send(made.general, 'an honest message')
    const [join, honest] = bob.outbox.map(encodeEnvelope)
    expect(await toPage([join!])).toEqual([{ kind: 'accept' }])

    // Change one byte of the signed update (the body text), keeping the original signature.
    const original = decodeEnvelope(honest!)
    const payload = original.payload.slice()
    const at = indexOfText(payload, 'honest')
    expect(at, 'the message text is in the update').toBeGreaterThanOrEqual(0)
    payload[at] = 'H'.charCodeAt(0)
    const tampered = encodeEnvelope({ ...original, payload })

    const [verdict] = await toPage([tampered])
    expect(verdict).toEqual({ kind: 'reject', reason: 'forged signature' })
    const shown = await messages().allTextContents()
    expect(shown).toEqual(['hello'])

    // The forgery reused the real signature; the real envelope must still get in afterwards.
    expect(await toPage([honest!])).toEqual([{ kind: 'accept' }])
    await messages().filter({ hasText: 'an honest message' }).waitFor()
  })

  it('an identity backup exported in Chromium imports in Node with the same userId', async () => {
    const made = await makeGroup('Backups', [])
    const passphrase = 'correct horse battery staple'
    const file = fromBase64(
      await alice.page.evaluate((p) => window.tailmeshCore!.exportBackup(p), passphrase),
    )
    const { identity } = await importIdentityBackup(file, passphrase)
    expect(identity.userId).toBe(made.userId)

    // The restored key is the real one: what it signs in Node, the page's gate accepts as the owner's.
    const restored = await nodePerson('alice-restored', made.groupId, identity)
    await restored.gate.receiveMany(made.envelopes.map(fromBase64))
    const { id: id } = await restored.actions.send(made.general, 'from the restored identity')
    expect(await toPage(restored.outbox.map(encodeEnvelope))).toEqual([{ kind: 'accept' }])
    expect(await alice.page.evaluate((m) => window.tailmeshCore!.message(m), id)).toMatchObject({
      author: made.userId,
      body: 'from the restored identity',
    })
  })
})

function indexOfText(bytes: Uint8Array, text: string): number {
  return Buffer.from(bytes).indexOf(Buffer.from(text))
}

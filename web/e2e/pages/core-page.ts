// Test page: @tailmesh/core running in Chromium. One person (this page) creates a group, sends and
// invites; the Node side joins and replies; the page's gate judges what comes back and the page shows
// the panel's messages as a list (role "list", named "Messages in general").
import { Identity, encodeEnvelope, exportIdentityBackup } from '@tailmesh/core'
import {
  createGroup,
  parseDocId,
  PanelRoot,
  type MessageRecord,
  type OpenGroup,
} from '../core-internals/group'
import { fromBase64, toBase64 } from './base64'
import type { CorePageApi, PageMessage, WebCryptoReport } from './core-page-api'

let me: Identity | null = null
let group: (OpenGroup & { general: string }) | null = null

async function probe(name: string, run: () => Promise<unknown>, errors: string[]): Promise<boolean> {
  try {
    await run()
    return true
  } catch (e) {
    errors.push(`${name}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`)
    return false
  }
}

async function webCrypto(): Promise<WebCryptoReport> {
  const s = crypto.subtle
  const errors: string[] = []
  const data = new TextEncoder().encode('tailmesh')
  const ed25519 = await probe(
    'Ed25519',
    async () => {
      const pair = (await s.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair
      const sig = await s.sign({ name: 'Ed25519' }, pair.privateKey, data)
      if (!(await s.verify({ name: 'Ed25519' }, pair.publicKey, sig, data))) throw new Error('verify failed')
    },
    errors,
  )
  const x25519 = await probe(
    'X25519',
    async () => {
      const a = (await s.generateKey({ name: 'X25519' }, false, ['deriveBits'])) as CryptoKeyPair
      const b = (await s.generateKey({ name: 'X25519' }, false, ['deriveBits'])) as CryptoKeyPair
      const ab = new Uint8Array(
        await s.deriveBits({ name: 'X25519', public: b.publicKey }, a.privateKey, 256),
      )
      const ba = new Uint8Array(
        await s.deriveBits({ name: 'X25519', public: a.publicKey }, b.privateKey, 256),
      )
      if (toBase64(ab) !== toBase64(ba)) throw new Error('shared secrets differ')
    },
    errors,
  )
  const aesGcm = await probe(
    'AES-GCM',
    async () => {
      const key = await s.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt'])
      const iv = crypto.getRandomValues(new Uint8Array(12))
      const ct = await s.encrypt({ name: 'AES-GCM', iv }, key, data)
      const pt = new Uint8Array(await s.decrypt({ name: 'AES-GCM', iv }, key, ct))
      if (new TextDecoder().decode(pt) !== 'tailmesh') throw new Error('round trip changed the text')
    },
    errors,
  )
  return { ed25519, x25519, aesGcm, errors }
}

function joined(): OpenGroup & { general: string } {
  if (!group) throw new Error('makeGroup first')
  return group
}

function toPageMessage(m: MessageRecord): PageMessage {
  return {
    author: m.author,
    body: m.body,
    ...(m.replyTo ? { replyTo: { id: m.replyTo.id, excerpt: m.replyTo.excerpt } } : {}),
  }
}

/** Every message of the general panel, in (hlc, id) order. */
function generalMessages(): [string, MessageRecord][] {
  const g = joined()
  const docIds = new Set<string>()
  for (const e of g.gate.accepted()) {
    const ref = parseDocId(e.docId)
    if (ref?.kind === 'panel' && ref.panelId === g.general) docIds.add(e.docId)
  }
  const all: [string, MessageRecord][] = []
  for (const docId of docIds)
    for (const [id, m] of g.gate.doc(docId).getMap<MessageRecord>(PanelRoot.messages)) all.push([id, m])
  return all.sort(([ia, a], [ib, b]) => a.hlc - b.hlc || (ia < ib ? -1 : ia > ib ? 1 : 0))
}

function render(): void {
  let list = document.querySelector<HTMLUListElement>('ul[data-panel="general"]')
  if (!list) {
    list = document.createElement('ul')
    list.dataset.panel = 'general'
    list.setAttribute('aria-label', 'Messages in general')
    document.body.append(list)
  }
  list.replaceChildren(
    ...generalMessages().map(([id, m]) => {
      const li = document.createElement('li')
      li.dataset.id = id
      li.textContent = (m.replyTo ? `↪ ${m.replyTo.excerpt} — ` : '') + m.body
      return li
    }),
  )
}

const api: CorePageApi = {
  webCrypto,

  async makeGroup(name, messages) {
    me = await Identity.create()
    const created = await createGroup(me, { name })
    const general = created.panelIds[0]
    if (general === undefined) throw new Error('a new group has a general panel')
    group = { ...created, general }
    created.gate.on('accepted', render)
    created.gate.on('docReplaced', render)
    const heading = document.createElement('h1')
    heading.textContent = name
    document.body.append(heading)
    const messageIds: string[] = []
    for (const body of messages) messageIds.push((await created.actions.send(general, body)).id)
    const { secret } = await created.actions.createInvite({ maxUses: 10 })
    render()
    return {
      groupId: created.groupId,
      userId: me.userId,
      general,
      messageIds,
      inviteSecret: toBase64(secret),
      envelopes: [...created.gate.accepted()].map((e) => toBase64(encodeEnvelope(e))),
    }
  },

  async receive(envelopes) {
    const verdicts = await joined().gate.receiveMany(envelopes.map(fromBase64))
    return verdicts.map((v) => (v.kind === 'accept' ? { kind: v.kind } : { kind: v.kind, reason: v.reason }))
  },

  message(messageId) {
    const g = joined()
    const m = g.actions.message(g.general, messageId)
    return m ? toPageMessage(m) : null
  },

  async exportBackup(passphrase) {
    if (!me) throw new Error('makeGroup first')
    return toBase64(await exportIdentityBackup(me, passphrase))
  },
}

window.tailmeshCore = api

// The signed envelopes of one group of n members, made once per size and kept on disk: the owner's
// genesis and a permanent invite, then one join per newcomer made the way a newcomer makes it (their
// own gate holds the genesis and the invite, then `actions.join` signs), and what the other rows feed
// an honest peer afterwards: a batch of later joins, late messages each written just before one more
// join, and live messages from a few members. One clock dates everything, so signing order is time
// order: a late message is dated before the join that follows it.

import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { fromBase64Url, toBase64Url } from '../../core/src/bytes'
import { encodeEnvelope, type Envelope } from '../../core/src/envelope/envelope'
import { HybridClock } from '../../core/src/envelope/hlc'
import { createGroup, openGroup, type OpenGroup } from '../../core/src/group/create'
import { Identity } from '../../core/src/identity/identity'
import { signProfile } from '../../core/src/identity/profile'

/**
 * Members who write (the first joiners): the first the late messages, the others the live ones (so
 * those apply in order to a fresh document, for the raw baseline); the last is kicked.
 */
const WRITERS = 4
/** Newcomers signing at once (the signatures run on libuv's threads). */
const CONCURRENCY = 16
const RELAY = 'https://relay.example.org'

export interface FixturePlan {
  /** Members, the owner included. */
  n: number
  /** Joins after the first n members (the join row). */
  batch: number
  /** Late message + join pairs (the late-message row). */
  late: number
  /** Live messages from the writers (the throughput row). */
  messages: number
}

export interface GroupFixture {
  plan: FixturePlan
  groupId: string
  panel: string
  owner: Identity
  writers: Identity[]
  /** Genesis, invite and n - 1 joins: the group at n members. */
  base: Uint8Array[]
  batch: Uint8Array[]
  /** Each message is dated before its join; a peer receives the join first. */
  late: { join: Uint8Array; message: Uint8Array }[]
  messages: Uint8Array[]
}

/** From the cache when an earlier run made it with today's envelope and record formats, else made now. */
export async function groupFixture(plan: FixturePlan, useCache: boolean): Promise<GroupFixture> {
  const file = join(tmpdir(), 'tailmesh-bench-large-group', `${formatKey()}-${planKey(plan)}`)
  if (useCache && existsSync(`${file}.json`)) return load(file)
  const fixture = await make(plan)
  if (useCache) await save(file, fixture)
  return fixture
}

async function make(plan: FixturePlan): Promise<GroupFixture> {
  const clock = new HybridClock()
  const owner = await Identity.create()
  const head: Envelope[] = []
  const group = await createGroup(owner, { name: 'A large group' }, { clock, send: (e) => head.push(e) })
  const { secret } = await group.actions.createInvite({ expiresInMs: null, maxUses: null })
  const headBytes = head.map(encodeEnvelope)

  let fans = 0
  const newcomer = async (): Promise<{ identity: Identity; group: OpenGroup; join: Envelope }> => {
    const identity = await Identity.create()
    const out: Envelope[] = []
    const opened = await openGroup(identity, group.groupId, { clock, send: (e) => out.push(e) })
    // Taken as already judged (the owner's own verdicts): checking the two signatures again in every
    // newcomer changes nothing in the join it signs, and making 100k of them is slow enough as it is.
    await opened.gate.restore(head.map((envelope) => ({ envelope, accepted: true })))
    // As the app joins: with the member's signed profile and the relay they use.
    const profile = await signProfile(identity, { nickname: `Fan ${++fans}`, updatedAt: Date.now() })
    await opened.actions.join(secret, profile, [RELAY])
    return { identity, group: opened, join: out[0]! }
  }
  const joins = async (count: number): Promise<Envelope[]> => {
    const out: Envelope[] = []
    for (let i = 0; i < count; i += CONCURRENCY) {
      const made = await Promise.all(
        Array.from({ length: Math.min(CONCURRENCY, count - i) }, () => newcomer()),
      )
      out.push(...made.map((m) => m.join))
    }
    return out
  }
  // Newcomers signing at once finish in any order. In time order, as a relay hands over a group that
  // grew one join after another: a join placed before others already judged makes the gate judge
  // everything again, which is another measurement (and on today's core a far slower one).
  const inTimeOrder = (list: Envelope[]) => list.sort((a, b) => a.hlc - b.hlc).map(encodeEnvelope)

  const writers = await Promise.all(Array.from({ length: WRITERS }, () => newcomer()))
  const base = [
    ...headBytes,
    ...inTimeOrder([...writers.map((w) => w.join), ...(await joins(plan.n - 1 - WRITERS))]),
  ]
  const batch = inTimeOrder(await joins(plan.batch))
  const panel = group.panelIds[0]!
  const late: GroupFixture['late'] = []
  for (let i = 0; i < plan.late; i++) {
    const message = (await writers[0]!.group.actions.send(panel, `written before join ${i}`)).envelope
    late.push({ message: encodeEnvelope(message), join: inTimeOrder(await joins(1))[0]! })
  }
  const messages: Uint8Array[] = []
  const live = writers.slice(1)
  await Promise.all(
    live.map(async (w, k) => {
      for (let i = k; i < plan.messages; i += live.length)
        messages.push(encodeEnvelope((await w.group.actions.send(panel, `message ${i}`)).envelope))
    }),
  )
  return {
    plan,
    groupId: group.groupId,
    panel,
    owner,
    writers: writers.map((w) => w.identity),
    base,
    batch,
    late,
    messages,
  }
}

// --- the cache: a JSON file (ids and identity seeds) beside the envelopes, length-prefixed ----------

interface Saved {
  plan: FixturePlan
  groupId: string
  panel: string
  owner: string
  writers: string[]
}

async function save(file: string, f: GroupFixture): Promise<void> {
  mkdirSync(dirname(file), { recursive: true })
  const seed = async (i: Identity) => toBase64Url(await i.exportSeed())
  const saved: Saved = {
    plan: f.plan,
    groupId: f.groupId,
    panel: f.panel,
    owner: await seed(f.owner),
    writers: await Promise.all(f.writers.map(seed)),
  }
  const lists = [f.base, f.batch, f.late.map((l) => l.join), f.late.map((l) => l.message), f.messages]
  writeFileSync(`${file}.bin.tmp`, pack(lists.flat()))
  renameSync(`${file}.bin.tmp`, `${file}.bin`)
  // Written last: a run stopped halfway leaves no JSON, so nothing half-made is read back.
  writeFileSync(`${file}.json`, JSON.stringify(saved))
}

async function load(file: string): Promise<GroupFixture> {
  const saved = JSON.parse(readFileSync(`${file}.json`, 'utf8')) as Saved
  const all = unpack(readFileSync(`${file}.bin`))
  const { plan } = saved
  const take = (count: number) => all.splice(0, count)
  const base = take(plan.n + 1)
  const batch = take(plan.batch)
  const lateJoins = take(plan.late)
  const lateMessages = take(plan.late)
  const identity = (seed: string) => Identity.fromSeed(fromBase64Url(seed))
  return {
    plan,
    groupId: saved.groupId,
    panel: saved.panel,
    owner: await identity(saved.owner),
    writers: await Promise.all(saved.writers.map(identity)),
    base,
    batch,
    late: lateJoins.map((join, i) => ({ join, message: lateMessages[i]! })),
    messages: take(plan.messages),
  }
}

function pack(items: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(items.reduce((s, b) => s + 4 + b.length, 0))
  const view = new DataView(out.buffer)
  let at = 0
  for (const b of items) {
    view.setUint32(at, b.length)
    out.set(b, at + 4)
    at += 4 + b.length
  }
  return out
}

function unpack(bytes: Uint8Array): Uint8Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const out: Uint8Array[] = []
  for (let at = 0; at < bytes.length;) {
    const length = view.getUint32(at)
    out.push(bytes.slice(at + 4, at + 4 + length))
    at += 4 + length
  }
  return out
}

const planKey = (p: FixturePlan) => `n${p.n}-b${p.batch}-l${p.late}-m${p.messages}`

/** Envelopes made by older code may no longer be valid: the cache is keyed by the files that shape them. */
function formatKey(): string {
  const core = join(dirname(fileURLToPath(import.meta.url)), '../../core/src')
  const hash = createHash('sha256')
  for (const f of [
    'envelope/envelope.ts',
    'envelope/client-claim.ts',
    'group/records.ts',
    'group/documents.ts',
    'group/operations.ts',
    'group/join-proof.ts',
  ])
    hash.update(readFileSync(join(core, f)))
  hash.update(readFileSync(fileURLToPath(import.meta.url)))
  return hash.digest('hex').slice(0, 12)
}

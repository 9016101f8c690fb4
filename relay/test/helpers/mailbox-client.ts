// A minimal /mailbox client for tests, written from relay/PROTOCOL.md with core's frame codec:
// requests carry ids and are matched with their answers; pushes collect in `pushes`.
import {
  GroupKey,
  MailboxClientOp,
  MailboxRelayOp,
  appendSigningBytes,
  decodeMailboxRelayFrame,
  deriveTopic,
  encodeMailboxClientFrame,
  sign,
  snapshotChunkSigningBytes,
  snapshotSigningBytes,
  type MailboxAckFrame,
  type MailboxChunksFrame,
  type MailboxClientFrame,
  type MailboxEntriesFrame,
  type MailboxErrorFrame,
  type MailboxPushFrame,
  type MailboxRelayFrame,
} from '@tailmesh/core'
import { WebSocket } from 'ws'
import { open } from './ws'

/** What a member holds for a group's mailbox topic: its id and signing keys (derived from the group key). */
export interface TopicKeys {
  id: Uint8Array
  publicKey: Uint8Array
  sign: (data: Uint8Array) => Promise<Uint8Array>
}

/** A fresh group's topic, derived by core exactly as the app derives it. */
export async function newTopic(
  groupId = `group-${Math.random()}`,
): Promise<TopicKeys & { groupKey: GroupKey }> {
  return topicFor(groupId, await GroupKey.generate())
}

/** The topic as any member derives it from the group id and the group key. */
export async function topicFor(
  groupId: string,
  groupKey: GroupKey,
): Promise<TopicKeys & { groupKey: GroupKey }> {
  const topic = await deriveTopic(groupId, groupKey)
  return {
    groupKey,
    id: new Uint8Array(Buffer.from(topic.id, 'hex')),
    publicKey: topic.signingKeys.publicKey,
    sign: (data) => sign(topic.signingKeys.privateKey, data),
  }
}

type Answer = MailboxAckFrame | MailboxEntriesFrame | MailboxErrorFrame | MailboxChunksFrame
type Request = MailboxClientFrame extends infer F
  ? F extends MailboxClientFrame
    ? Omit<F, 'id'>
    : never
  : never

export class MailboxClient {
  private nextId = 1
  private readonly waiting = new Map<number, { resolve: (f: Answer) => void; reject: (e: Error) => void }>()
  readonly pushes: MailboxPushFrame[] = []
  /** Error frames that answer no request (id 0). */
  readonly unsolicited: MailboxErrorFrame[] = []
  private onPush: (() => void) | null = null

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => this.receive(decodeMailboxRelayFrame(new Uint8Array(data))))
    ws.on('close', () => {
      for (const w of this.waiting.values()) w.reject(new Error('socket closed'))
      this.waiting.clear()
    })
  }

  static async connect(url: string): Promise<MailboxClient> {
    return new MailboxClient(await open(url))
  }

  private receive(f: MailboxRelayFrame): void {
    if (f.op === MailboxRelayOp.push) {
      this.pushes.push(f)
      this.onPush?.()
      return
    }
    const w = this.waiting.get(f.id)
    if (w === undefined) {
      if (f.op === MailboxRelayOp.error) this.unsolicited.push(f)
      return
    }
    this.waiting.delete(f.id)
    w.resolve(f)
  }

  request(frame: Request): Promise<Answer> {
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      if (this.ws.readyState !== WebSocket.OPEN) return reject(new Error('socket closed'))
      this.waiting.set(id, { resolve, reject })
      this.ws.send(encodeMailboxClientFrame({ ...frame, id } as MailboxClientFrame), (err) => {
        if (err) reject(err)
      })
    })
  }

  async append(topic: TopicKeys, entry: Uint8Array, withKey = true): Promise<Answer> {
    const signature = await topic.sign(appendSigningBytes(topic.id, entry))
    return this.request({
      op: MailboxClientOp.append,
      topic: topic.id,
      publicKey: withKey ? topic.publicKey : null,
      entry,
      signature,
    })
  }

  read(topic: Uint8Array, after: number, limit = 1000): Promise<Answer> {
    return this.request({ op: MailboxClientOp.read, topic, after, limit })
  }

  /**
   * Reads every entry after `after`, following `next` until `more` is false; a chunked snapshot's
   * chunks are read on the way (`chunks`, with its cursor in `chunked`).
   */
  async readAll(
    topic: Uint8Array,
    after = 0,
  ): Promise<{
    snapshot: MailboxEntriesFrame['snapshot']
    chunked: MailboxEntriesFrame['chunked']
    chunks: Uint8Array[]
    entries: MailboxEntriesFrame['entries']
  }> {
    let snapshot: MailboxEntriesFrame['snapshot'] = null
    let chunked: MailboxEntriesFrame['chunked'] = null
    const chunks: Uint8Array[] = []
    const entries: MailboxEntriesFrame['entries'] = []
    for (let i = 0; i < 100_000; i++) {
      const r = await this.read(topic, after)
      if (r.op !== MailboxRelayOp.entries) throw new Error(`read failed: ${JSON.stringify(r)}`)
      snapshot ??= r.snapshot
      if (r.chunked !== null) {
        chunked = r.chunked
        while (chunks.length < r.chunked.count) {
          const c = await this.readSnapshot(topic, r.chunked.cursor, chunks.length)
          if (c.op !== MailboxRelayOp.chunks) throw new Error(`chunk read failed: ${JSON.stringify(c)}`)
          chunks.push(...c.chunks)
        }
      }
      entries.push(...r.entries)
      after = r.next
      if (!r.more) break
    }
    return { snapshot, chunked, chunks, entries }
  }

  readSnapshot(topic: Uint8Array, upTo: number, from: number): Promise<Answer> {
    return this.request({ op: MailboxClientOp.readSnapshot, topic, upTo, from })
  }

  /** Uploads chunk `index` of `count` (upload `upload`) of a snapshot covering up to `upTo`. */
  async snapshotChunk(
    topic: TopicKeys,
    upTo: number,
    upload: Uint8Array,
    index: number,
    count: number,
    chunk: Uint8Array,
  ): Promise<Answer> {
    const c = { topic: topic.id, upTo, upload, index, count, chunk }
    const signature = await topic.sign(snapshotChunkSigningBytes(c))
    return this.request({ op: MailboxClientOp.snapshotChunk, ...c, signature })
  }

  subscribe(topic: Uint8Array): Promise<Answer> {
    return this.request({ op: MailboxClientOp.subscribe, topic })
  }

  async snapshot(topic: TopicKeys, upTo: number, bytes: Uint8Array): Promise<Answer> {
    const signature = await topic.sign(snapshotSigningBytes(topic.id, upTo, bytes))
    return this.request({ op: MailboxClientOp.snapshot, topic: topic.id, upTo, snapshot: bytes, signature })
  }

  async waitForPushes(n: number, timeoutMs = 5000): Promise<MailboxPushFrame[]> {
    const deadline = Date.now() + timeoutMs
    while (this.pushes.length < n) {
      if (Date.now() > deadline) throw new Error(`expected ${n} pushes, got ${this.pushes.length}`)
      await new Promise<void>((r) => {
        this.onPush = r
        setTimeout(r, 50)
      })
    }
    return this.pushes
  }

  close(): void {
    this.ws.terminate()
  }
}

// The store of a Node device (relay-side bots, tests): one LevelDB (classic-level) per adapter.
//
// Layout, one sublevel each (NUL separates the parts of a key: it sorts first, so a prefix range
// of one group never reaches into a group whose id merely starts with the same characters):
//   doc  group \0 doc          -> empty              the documents that have a store
//   env  group \0 doc \0 id    -> accepted(1) bytes  the envelopes
//   val  scope \0 key          -> value              small values
//   meta 'format'              -> 1
// Every write is `sync: true`: LevelDB fsyncs its log before the promise resolves, which is what makes
// an acknowledged write survive a crash of the process or of the machine.
import { ClassicLevel } from 'classic-level'
import { ValidationError } from '../errors'
import { StorageClosedError, StorageError } from './errors'
import type { DocumentStore, StorageAdapter, StoredEnvelope } from './storage'

const FORMAT = 1
const SYNC = { sync: true } as const
const EMPTY = new Uint8Array(0)

type Db = ClassicLevel<string, Uint8Array>
const sublevelOf = (db: Db, name: string) => db.sublevel<string, Uint8Array>(name, { valueEncoding: 'view' })
type Sublevel = ReturnType<typeof sublevelOf>
type BatchOp =
  | { type: 'put'; sublevel: Sublevel; key: string; value: Uint8Array }
  | { type: 'del'; sublevel: Sublevel; key: string }

export interface LevelStorageOptions {
  /** The directory of the LevelDB (created if missing). One process at a time may open it. */
  path: string
}

export class LevelStorage implements StorageAdapter {
  readonly #db: Db
  readonly #docs: Sublevel
  readonly #envelopes: Sublevel
  readonly #values: Sublevel
  readonly #open = new Set<LevelDocumentStore>()
  readonly #inFlight = new Set<Promise<unknown>>()
  #closing: Promise<void> | null = null

  /** Opens (creating if needed) the store at `options.path`. */
  static async open(options: LevelStorageOptions): Promise<LevelStorage> {
    const db: Db = new ClassicLevel<string, Uint8Array>(options.path, { valueEncoding: 'view' })
    try {
      await db.open()
    } catch (e) {
      throw new StorageError(`Cannot open the store at ${options.path}${lockedHint(e)}.`, { cause: e })
    }
    const storage = new LevelStorage(db)
    try {
      await storage.#checkFormat(options.path)
    } catch (e) {
      await db.close()
      throw e
    }
    return storage
  }

  private constructor(db: Db) {
    this.#db = db
    this.#docs = sublevelOf(db, 'doc')
    this.#envelopes = sublevelOf(db, 'env')
    this.#values = sublevelOf(db, 'val')
  }

  document(groupId: string, docId: string): Promise<DocumentStore> {
    return this.#run(async () => {
      const doc = docKey(groupId, docId)
      if ((await this.#docs.get(doc)) === undefined)
        await this.write([{ type: 'put', sublevel: this.#docs, key: doc, value: EMPTY }])
      const store = new LevelDocumentStore(this, groupId, docId)
      this.#open.add(store)
      return store
    })
  }

  documents(groupId: string): Promise<string[]> {
    return this.#run(async () => {
      const prefix = part(groupId, 'group id') + '\0'
      const keys = await this.#docs.keys(range(prefix)).all()
      return keys.map((k) => k.slice(prefix.length))
    })
  }

  groups(): Promise<string[]> {
    return this.#run(async () => {
      const groups: string[] = []
      for await (const key of this.#docs.keys()) {
        const group = key.slice(0, key.indexOf('\0'))
        if (groups[groups.length - 1] !== group) groups.push(group)
      }
      return groups
    })
  }

  get(scope: string, key: string): Promise<Uint8Array | undefined> {
    return this.#run(async () => {
      const value = await this.#values.get(valueKey(scope, key))
      return value && plain(value)
    })
  }

  set(scope: string, key: string, value: Uint8Array): Promise<void> {
    return this.#run(() =>
      this.write([{ type: 'put', sublevel: this.#values, key: valueKey(scope, key), value }]),
    )
  }

  delete(scope: string, key: string): Promise<void> {
    return this.#run(() => this.write([{ type: 'del', sublevel: this.#values, key: valueKey(scope, key) }]))
  }

  dropGroup(groupId: string): Promise<void> {
    for (const store of this.#open) if (store.groupId === groupId) store.shut('its group was dropped')
    // Writes that were already under way land first, so none can recreate part of the group afterwards.
    const earlier = [...this.#inFlight]
    return this.#run(async () => {
      await Promise.allSettled(earlier)
      const prefix = part(groupId, 'group id') + '\0'
      const ops: BatchOp[] = []
      for (const sublevel of [this.#docs, this.#envelopes, this.#values])
        for (const key of await sublevel.keys(range(prefix)).all()) ops.push({ type: 'del', sublevel, key })
      // One batch: a crash leaves the group either whole or gone, never half of it.
      await this.write(ops)
    })
  }

  close(): Promise<void> {
    return (this.#closing ??= (async () => {
      for (const store of this.#open) store.shut('the storage was closed')
      await Promise.allSettled([...this.#inFlight])
      await this.#db.close()
    })())
  }

  /** @internal For LevelDocumentStore: every operation goes through here to be refused after close. */
  run<T>(work: () => Promise<T>): Promise<T> {
    return this.#run(work)
  }

  /** @internal */
  get envelopes(): Sublevel {
    return this.#envelopes
  }

  /** @internal Every write goes through here: one atomic batch, fsynced before it resolves. */
  write(ops: BatchOp[]): Promise<void> {
    return ops.length ? this.#db.batch(ops, SYNC) : Promise.resolve()
  }

  /** @internal */
  forget(store: LevelDocumentStore): void {
    this.#open.delete(store)
  }

  #run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#closing) return Promise.reject(new StorageClosedError('This storage is closed.'))
    const promise = (async () => work())()
    this.#inFlight.add(promise)
    const done = () => this.#inFlight.delete(promise)
    promise.then(done, done)
    return promise
  }

  async #checkFormat(path: string): Promise<void> {
    const meta = sublevelOf(this.#db, 'meta')
    const format = await meta.get('format')
    if (format === undefined)
      await this.write([{ type: 'put', sublevel: meta, key: 'format', value: Uint8Array.of(FORMAT) }])
    else if (format.length !== 1 || format[0] !== FORMAT)
      throw new StorageError(`The store at ${path} has format ${format[0]}; this version reads ${FORMAT}.`)
  }
}

class LevelDocumentStore implements DocumentStore {
  readonly #prefix: string
  #closedBecause: string | null = null

  constructor(
    private readonly storage: LevelStorage,
    readonly groupId: string,
    readonly docId: string,
  ) {
    this.#prefix = docKey(groupId, docId) + '\0'
  }

  load(): Promise<StoredEnvelope[]> {
    return this.#run(async () => {
      const entries = await this.storage.envelopes.iterator(range(this.#prefix)).all()
      return entries.map(([key, value]) => ({
        id: key.slice(this.#prefix.length),
        bytes: plain(value.subarray(1)),
        accepted: value[0] === 1,
      }))
    })
  }

  put(envelopes: StoredEnvelope[]): Promise<void> {
    return this.#run(async () => {
      const sublevel = this.storage.envelopes
      const ops = envelopes.map((e): BatchOp => {
        const value = new Uint8Array(1 + e.bytes.length)
        value[0] = e.accepted ? 1 : 0
        value.set(e.bytes, 1)
        return { type: 'put', sublevel, key: this.#prefix + part(e.id, 'envelope id'), value }
      })
      await this.storage.write(ops)
    })
  }

  remove(ids: string[]): Promise<void> {
    return this.#run(async () => {
      const sublevel = this.storage.envelopes
      const ops = ids.map((id): BatchOp => ({
        type: 'del',
        sublevel,
        key: this.#prefix + part(id, 'envelope id'),
      }))
      await this.storage.write(ops)
    })
  }

  async close(): Promise<void> {
    this.shut('it was closed')
  }

  shut(reason: string): void {
    if (this.#closedBecause !== null) return
    this.#closedBecause = reason
    this.storage.forget(this)
  }

  #run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#closedBecause !== null)
      return Promise.reject(
        new StorageClosedError(
          `The store of document ${this.groupId}/${this.docId} is closed: ${this.#closedBecause}.`,
        ),
      )
    return this.storage.run(work)
  }
}

function part(text: string, what: string): string {
  if (text.includes('\0')) throw new ValidationError(`A ${what} cannot contain NUL: ${JSON.stringify(text)}.`)
  return text
}

const docKey = (groupId: string, docId: string) =>
  part(groupId, 'group id') + '\0' + part(docId, 'document id')
const valueKey = (scope: string, key: string) => part(scope, 'scope') + '\0' + part(key, 'key')

/** Every key that starts with `prefix` (which ends in NUL, the lowest character). */
function range(prefix: string): { gte: string; lt: string } {
  return { gte: prefix, lt: prefix.slice(0, -1) + '\x01' }
}

/** A Uint8Array of its own (LevelDB hands out Buffers, which compare and serialise differently). */
function plain(view: Uint8Array): Uint8Array {
  return new Uint8Array(view)
}

function lockedHint(e: unknown): string {
  const cause = e instanceof Error && 'cause' in e ? e.cause : undefined
  const code = cause && typeof cause === 'object' && 'code' in cause ? cause.code : undefined
  return code === 'LEVEL_LOCKED' ? ': another process has it open' : ''
}

// The store of a browser device, on IndexedDB.
//
// Envelopes: per (group, document), a y-indexeddb database persisting a LOCAL-ONLY Y.Doc (never
// replicated) whose Y.Map 'envelopes' maps envelope id -> { bytes, accepted }. y-indexeddb writes each
// change as one small update and compacts its log by itself; overwrites and removes are ordinary map
// edits, and two tabs writing the same document merge as Yjs does instead of overwriting each other.
//
// Acknowledged means committed: y-indexeddb writes an update in a readwrite transaction it opens
// synchronously inside the doc's 'update' event. Right after, put() opens a readwrite transaction on
// the same object store with durability 'strict'; IndexedDB starts readwrite transactions with
// overlapping scopes in the order they were created, so this one runs only after y-indexeddb's has
// committed. It checks the update is really there (y-indexeddb drops a failed write silently) and its
// strict commit flushes the log to disk, earlier relaxed commits included.
//
// Documents and small values live in one more database (`<name>`), through lib0/indexeddb:
//   documents  [groupId, docId] -> y-indexeddb database name   (`<name>/<group>/<doc>/<random>`)
//   values     [scope, key]     -> bytes
// A document's database name carries a random part so that a group dropped (and its database deleted)
// can never come back from a database whose deletion a crash interrupted.
import * as idb from 'lib0/indexeddb'
import { IndexeddbPersistence } from 'y-indexeddb'
import * as Y from 'yjs'
import { bytesEqual, randomBytes, toBase64Url } from '../bytes'
import { StorageClosedError, StorageError } from './errors'
import type { DocumentStore, StorageAdapter, StoredEnvelope } from './storage'

const DOCUMENTS = 'documents'
const VALUES = 'values'
/** y-indexeddb's object stores (its 'custom' store is for its users: the barrier writes there). */
const UPDATES = 'updates'
const CUSTOM = 'custom'
/** How far back from the newest update a barrier looks for its own (other tabs may write in between). */
const BARRIER_LOOKBACK = 64

export interface IndexedDbStorageOptions {
  /** Name of the adapter's database and prefix of its documents' databases. Default 'tailmesh'. */
  name?: string
}

interface Entry {
  bytes: Uint8Array
  accepted: boolean
}

export class IndexedDbStorage implements StorageAdapter {
  readonly #name: string
  readonly #db: IDBDatabase
  readonly #open = new Set<IndexedDbDocumentStore>()
  /** y-indexeddb database name -> its document, shared by every store of it this adapter gave out. */
  readonly #documents = new Map<string, Promise<PersistedDocument>>()
  #closing: Promise<void> | null = null

  static async open(options: IndexedDbStorageOptions = {}): Promise<IndexedDbStorage> {
    const name = options.name ?? 'tailmesh'
    try {
      const db = await idb.openDB(name, (db) => idb.createStores(db, [[DOCUMENTS], [VALUES]]))
      return new IndexedDbStorage(name, db)
    } catch (e) {
      throw new StorageError(`Cannot open the IndexedDB store "${name}": ${String(e)}`, { cause: e })
    }
  }

  private constructor(name: string, db: IDBDatabase) {
    this.#name = name
    this.#db = db
  }

  async document(groupId: string, docId: string): Promise<DocumentStore> {
    this.#check()
    const key = [groupId, docId]
    let dbName = (await read(this.#db, DOCUMENTS, (s) => idb.get(s, key))) as string | undefined
    if (dbName === undefined) {
      // Read again inside the write: another tab may have created it since.
      const fresh = `${this.#name}/${groupId}/${docId}/${toBase64Url(randomBytes(9))}`
      dbName = await write(this.#db, [DOCUMENTS], async ([s]) => {
        const existing = (await idb.get(s!, key)) as string | undefined
        if (existing !== undefined) return existing
        await idb.put(s!, fresh, key)
        return fresh
      })
    }
    this.#check()
    const persisted = await this.#persisted(dbName, `${groupId}/${docId}`)
    const store = new IndexedDbDocumentStore(persisted, groupId, (s) => this.#open.delete(s))
    this.#open.add(store)
    if (this.#closing) {
      await store.shut('the storage was closed')
      this.#check()
    }
    return store
  }

  /** The open PersistedDocument of `dbName`, or a new one (one per database, whoever asks). */
  async #persisted(dbName: string, what: string): Promise<PersistedDocument> {
    for (;;) {
      let opening = this.#documents.get(dbName)
      if (!opening) {
        opening = PersistedDocument.open(dbName, what)
        this.#documents.set(dbName, opening)
        opening.catch(() => this.#documents.delete(dbName))
      }
      const persisted = await opening
      if (persisted.use()) return persisted
      // Its last store closed while we waited: it is going away, so open the database afresh.
      if (this.#documents.get(dbName) === opening) this.#documents.delete(dbName)
    }
  }

  async documents(groupId: string): Promise<string[]> {
    this.#check()
    const keys = await read(this.#db, DOCUMENTS, (s) => idb.getAllKeys(s, within(groupId)))
    return keys.map((k) => (k as [string, string])[1])
  }

  async groups(): Promise<string[]> {
    this.#check()
    const keys = await read(this.#db, DOCUMENTS, (s) => idb.getAllKeys(s))
    const groups: string[] = []
    for (const [group] of keys as [string, string][])
      if (groups[groups.length - 1] !== group) groups.push(group)
    return groups
  }

  async get(scope: string, key: string): Promise<Uint8Array | undefined> {
    this.#check()
    const value = await read(this.#db, VALUES, (s) => idb.get(s, [scope, key]))
    return value instanceof Uint8Array ? value : undefined
  }

  async set(scope: string, key: string, value: Uint8Array): Promise<void> {
    this.#check()
    // A copy: structured clone would otherwise store the whole buffer behind a view.
    await write(this.#db, [VALUES], ([s]) => idb.rtop(s!.put(value.slice(), [scope, key])))
  }

  async delete(scope: string, key: string): Promise<void> {
    this.#check()
    await write(this.#db, [VALUES], ([s]) => idb.del(s!, [scope, key]))
  }

  async dropGroup(groupId: string): Promise<void> {
    this.#check()
    await Promise.all(
      [...this.#open].filter((s) => s.groupId === groupId).map((s) => s.shut('its group was dropped')),
    )
    // The group leaves the index first, in one strict transaction; its databases go after. A crash in
    // between leaves unreachable databases (their names are never reused), never a half-dropped group.
    const dbNames = await write(this.#db, [DOCUMENTS, VALUES], async ([documents, values]) => {
      const names = (await idb.getAll(documents!, within(groupId))) as string[]
      await idb.del(documents!, within(groupId))
      await idb.del(values!, within(groupId))
      return names
    })
    await Promise.all(dbNames.map((name) => idb.deleteDB(name)))
  }

  close(): Promise<void> {
    return (this.#closing ??= (async () => {
      await Promise.all([...this.#open].map((s) => s.shut('the storage was closed')))
      this.#db.close()
    })())
  }

  #check(): void {
    if (this.#closing) throw new StorageClosedError('This storage is closed.')
  }
}

/**
 * One document's y-indexeddb database and its Y.Doc, shared by every DocumentStore of that document the
 * adapter gives out (so they all see the same envelopes); destroyed when the last of them closes.
 */
class PersistedDocument {
  readonly #doc = new Y.Doc({ gc: true })
  readonly #map = this.#doc.getMap<Entry>('envelopes')
  readonly #persistence: IndexeddbPersistence
  #lastUpdate: Uint8Array | null = null
  #users = 0
  #destroyed: Promise<void> | null = null

  static async open(dbName: string, what: string): Promise<PersistedDocument> {
    const persisted = new PersistedDocument(dbName, what)
    try {
      // y-indexeddb never settles whenSynced when its database fails to open: await that first.
      await persisted.#persistence._db
      await persisted.#persistence.whenSynced
    } catch (e) {
      await persisted.destroy()
      throw new StorageError(`Cannot open the store of document ${what}: ${String(e)}`, { cause: e })
    }
    return persisted
  }

  private constructor(
    dbName: string,
    readonly what: string,
  ) {
    this.#persistence = new IndexeddbPersistence(dbName, this.#doc)
    // Registered after y-indexeddb's listener, so it sees the update y-indexeddb has just queued.
    this.#doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== this.#persistence) this.#lastUpdate = update
    })
  }

  /** Counts a DocumentStore in; false once destroyed (the caller opens a new one). */
  use(): boolean {
    if (this.#destroyed) return false
    this.#users++
    return true
  }

  /** Counts a DocumentStore out; the last one out closes the database. */
  async release(): Promise<void> {
    if (--this.#users === 0) await this.destroy()
  }

  load(): StoredEnvelope[] {
    const out: StoredEnvelope[] = []
    this.#map.forEach((e, id) => out.push({ id, bytes: e.bytes.slice(), accepted: e.accepted }))
    return out
  }

  put(envelopes: StoredEnvelope[]): Promise<void> {
    return this.#edit(() => {
      for (const e of envelopes) this.#map.set(e.id, { bytes: e.bytes.slice(), accepted: e.accepted })
    })
  }

  remove(ids: string[]): Promise<void> {
    return this.#edit(() => {
      for (const id of ids) this.#map.delete(id)
    })
  }

  destroy(): Promise<void> {
    return (this.#destroyed ??= (async () => {
      // destroy() closes the database connection, which lets pending transactions finish first.
      await this.#persistence.destroy()
      this.#doc.destroy()
    })())
  }

  async #edit(change: () => void): Promise<void> {
    this.#lastUpdate = null
    // Everything from here to the barrier's creation is synchronous: no other write can slip between.
    this.#doc.transact(change)
    const update = this.#lastUpdate as Uint8Array | null
    if (update === null) return // nothing changed (removing unknown ids): nothing to make durable
    const db = this.#persistence.db
    if (!db) throw new StorageError(`The store of document ${this.what} lost its database.`)
    await barrier(db, update, this.what)
  }
}

class IndexedDbDocumentStore implements DocumentStore {
  #closedBecause: string | null = null
  #shutting: Promise<void> | null = null

  constructor(
    private readonly persisted: PersistedDocument,
    readonly groupId: string,
    private readonly onClose: (store: IndexedDbDocumentStore) => void,
  ) {}

  async load(): Promise<StoredEnvelope[]> {
    this.#check()
    return this.persisted.load()
  }

  async put(envelopes: StoredEnvelope[]): Promise<void> {
    this.#check()
    await this.persisted.put(envelopes)
  }

  async remove(ids: string[]): Promise<void> {
    this.#check()
    await this.persisted.remove(ids)
  }

  async close(): Promise<void> {
    await this.shut('it was closed')
  }

  shut(reason: string): Promise<void> {
    return (this.#shutting ??= (async () => {
      this.#closedBecause = reason
      this.onClose(this)
      await this.persisted.release()
    })())
  }

  #check(): void {
    if (this.#closedBecause !== null)
      throw new StorageClosedError(
        `The store of document ${this.persisted.what} is closed: ${this.#closedBecause}.`,
      )
  }
}

/** Resolves once `update` (just queued by y-indexeddb) is committed and flushed, or rejects. */
async function barrier(db: IDBDatabase, update: Uint8Array, what: string): Promise<void> {
  const tx = db.transaction([UPDATES, CUSTOM], 'readwrite', { durability: 'strict' })
  const done = committed(tx)
  // A write of its own, so the strict commit has something to flush (and flushes what came before).
  tx.objectStore(CUSTOM).put(Date.now(), 'tailmesh:barrier')
  const found = new Promise<boolean>((resolve, reject) => {
    let looked = 0
    const request = tx.objectStore(UPDATES).openCursor(null, 'prev')
    request.onerror = () => reject(request.error)
    request.onsuccess = () => {
      const cursor = request.result
      if (!cursor) return resolve(false)
      if (cursor.value instanceof Uint8Array && bytesEqual(cursor.value, update)) return resolve(true)
      if (++looked >= BARRIER_LOOKBACK) return resolve(false)
      cursor.continue()
    }
  })
  await done
  if (!(await found))
    throw new StorageError(`A write to the store of document ${what} did not reach IndexedDB.`)
}

function committed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve()
    tx.onerror = () =>
      reject(new StorageError(`IndexedDB write failed: ${String(tx.error)}`, { cause: tx.error }))
    tx.onabort = () =>
      reject(new StorageError(`IndexedDB write aborted: ${String(tx.error)}`, { cause: tx.error }))
  })
}

async function read<T>(db: IDBDatabase, store: string, run: (s: IDBObjectStore) => Promise<T>): Promise<T> {
  const [s] = idb.transact(db, [store], 'readonly')
  return run(s!)
}

/** One strict readwrite transaction: resolves with `run`'s result once committed to disk. */
async function write<T>(
  db: IDBDatabase,
  stores: string[],
  run: (s: IDBObjectStore[]) => Promise<T>,
): Promise<T> {
  const tx = db.transaction(stores, 'readwrite', { durability: 'strict' })
  const done = committed(tx)
  let result: T
  try {
    result = await run(stores.map((s) => tx.objectStore(s)))
  } catch (e) {
    tx.abort()
    // The abort we just asked for rejects `done`; `run`'s own error is the one worth throwing.
    await done.catch(() => {})
    throw e
  }
  await done
  return result
}

/** Every [first, ...] array key whose first part is `first`. */
function within(first: string): IDBKeyRange {
  return IDBKeyRange.bound([first], [first, []])
}

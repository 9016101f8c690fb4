// A store that keeps everything in memory: for bots and tests that want no disk. Nothing survives the
// process, so "durable" here means only "visible to every later call"; it has the same semantics as the
// disk adapters otherwise (copies in and out, so a caller mutating its bytes cannot change the store).
import { StorageClosedError } from './errors'
import type { DocumentStore, StorageAdapter, StoredEnvelope } from './storage'

type Envelopes = Map<string, { bytes: Uint8Array; accepted: boolean }>

export class MemoryStorage implements StorageAdapter {
  /** groupId -> docId -> envelopes */
  readonly #groups = new Map<string, Map<string, Envelopes>>()
  /** scope -> key -> value */
  readonly #values = new Map<string, Map<string, Uint8Array>>()
  readonly #open = new Set<MemoryDocumentStore>()
  #closed = false

  async document(groupId: string, docId: string): Promise<DocumentStore> {
    this.#check()
    let docs = this.#groups.get(groupId)
    if (!docs) this.#groups.set(groupId, (docs = new Map()))
    let envelopes = docs.get(docId)
    if (!envelopes) docs.set(docId, (envelopes = new Map()))
    const store = new MemoryDocumentStore(`${groupId}/${docId}`, groupId, envelopes, (s) =>
      this.#open.delete(s),
    )
    this.#open.add(store)
    return store
  }

  async documents(groupId: string): Promise<string[]> {
    this.#check()
    return [...(this.#groups.get(groupId)?.keys() ?? [])].sort()
  }

  async groups(): Promise<string[]> {
    this.#check()
    return [...this.#groups.keys()].sort()
  }

  async get(scope: string, key: string): Promise<Uint8Array | undefined> {
    this.#check()
    const value = this.#values.get(scope)?.get(key)
    return value && value.slice()
  }

  async set(scope: string, key: string, value: Uint8Array): Promise<void> {
    this.#check()
    let values = this.#values.get(scope)
    if (!values) this.#values.set(scope, (values = new Map()))
    values.set(key, value.slice())
  }

  async delete(scope: string, key: string): Promise<void> {
    this.#check()
    const values = this.#values.get(scope)
    values?.delete(key)
    if (values?.size === 0) this.#values.delete(scope)
  }

  async dropGroup(groupId: string): Promise<void> {
    this.#check()
    for (const store of this.#open) if (store.groupId === groupId) store.shut('its group was dropped')
    this.#groups.delete(groupId)
    this.#values.delete(groupId)
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    for (const store of this.#open) store.shut('the storage was closed')
  }

  #check(): void {
    if (this.#closed) throw new StorageClosedError('This storage is closed.')
  }
}

class MemoryDocumentStore implements DocumentStore {
  #closedBecause: string | null = null

  constructor(
    readonly name: string,
    readonly groupId: string,
    private readonly envelopes: Envelopes,
    private readonly onClose: (store: MemoryDocumentStore) => void,
  ) {}

  async load(): Promise<StoredEnvelope[]> {
    this.#check()
    return [...this.envelopes].map(([id, e]) => ({ id, bytes: e.bytes.slice(), accepted: e.accepted }))
  }

  async put(envelopes: StoredEnvelope[]): Promise<void> {
    this.#check()
    for (const e of envelopes) this.envelopes.set(e.id, { bytes: e.bytes.slice(), accepted: e.accepted })
  }

  async remove(ids: string[]): Promise<void> {
    this.#check()
    for (const id of ids) this.envelopes.delete(id)
  }

  async close(): Promise<void> {
    this.shut('it was closed')
  }

  shut(reason: string): void {
    if (this.#closedBecause !== null) return
    this.#closedBecause = reason
    this.onClose(this)
  }

  #check(): void {
    if (this.#closedBecause !== null)
      throw new StorageClosedError(`The store of document ${this.name} is closed: ${this.#closedBecause}.`)
  }
}

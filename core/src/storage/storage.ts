// Where a device keeps its groups: the envelopes it holds per document (the truth: documents are
// rebuilt from them, and peers are served from them) plus small values (keys, cursors, read state).
// Browser: IndexedDB (y-indexeddb); Node (bots, tests): LevelDB (classic-level).

/** One stored envelope and the gate's verdict on it when stored. */
export interface StoredEnvelope {
  /** The envelope id (base64url of its signature). */
  id: string
  /** The encoded envelope (not sealed: storage is this device's own). */
  bytes: Uint8Array
  /** Accepted by the gate, or held aside (deferred) to be judged again. */
  accepted: boolean
}

/** The envelopes of one document of one group. */
export interface DocumentStore {
  /** Every envelope stored for the document (in no particular order: the gate orders them). */
  load(): Promise<StoredEnvelope[]>
  /** Adds or overwrites (same id) envelopes; resolves once they are durable. */
  put(envelopes: StoredEnvelope[]): Promise<void>
  remove(ids: string[]): Promise<void>
  close(): Promise<void>
}

export interface StorageAdapter {
  /** Opens (creating if needed) the store of one document. */
  document(groupId: string, docId: string): Promise<DocumentStore>
  /** Documents of a group that have a store. */
  documents(groupId: string): Promise<string[]>
  /** Groups with anything stored. */
  groups(): Promise<string[]>
  /** Small values under a scope ('identity', a group id, ...); resolves once durable. */
  get(scope: string, key: string): Promise<Uint8Array | undefined>
  set(scope: string, key: string, value: Uint8Array): Promise<void>
  delete(scope: string, key: string): Promise<void>
  /** Forgets a group entirely (after leaving it). */
  dropGroup(groupId: string): Promise<void>
  close(): Promise<void>
}

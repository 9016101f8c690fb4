// What the storage test page (storage-page.ts) offers the Node side through `window.tailmeshStorage`:
// core's IndexedDB StorageAdapter, one call per method. Adapters and document stores are named by
// numeric handles; bytes travel as base64 (see base64.ts). Failures come back as values carrying the
// error's name, because page.evaluate keeps only an Error's message.

export interface WireEnvelope {
  id: string
  bytes: string
  accepted: boolean
}

export type WireWrite =
  | { kind: 'put'; groupId: string; docId: string; envelopes: WireEnvelope[] }
  | { kind: 'remove'; groupId: string; docId: string; ids: string[] }
  | { kind: 'set'; scope: string; key: string; value: string }

export type PageResult<T> = { ok: T } | { error: { name: string; message: string } }

export interface StoragePageApi {
  /** IndexedDbStorage.open({ name }); resolves with the adapter's handle. */
  open(name: string): Promise<PageResult<number>>
  document(adapter: number, groupId: string, docId: string): Promise<PageResult<number>>
  documents(adapter: number, groupId: string): Promise<PageResult<string[]>>
  groups(adapter: number): Promise<PageResult<string[]>>
  get(adapter: number, scope: string, key: string): Promise<PageResult<string | null>>
  set(adapter: number, scope: string, key: string, value: string): Promise<PageResult<null>>
  delete(adapter: number, scope: string, key: string): Promise<PageResult<null>>
  dropGroup(adapter: number, groupId: string): Promise<PageResult<null>>
  close(adapter: number): Promise<PageResult<null>>
  load(doc: number): Promise<PageResult<WireEnvelope[]>>
  put(doc: number, envelopes: WireEnvelope[]): Promise<PageResult<null>>
  remove(doc: number, ids: string[]): Promise<PageResult<null>>
  closeDocument(doc: number): Promise<PageResult<null>>
  /**
   * Opens the store `name` and starts performing `writes` one after the other, calling
   * `window.tailmeshAck()` after each resolves; returns at once. Never closes the store.
   */
  startWriter(name: string, writes: WireWrite[]): Promise<PageResult<null>>
}

declare global {
  interface Window {
    tailmeshStorage?: StoragePageApi
    /** Exposed by the test (page.exposeFunction) for the crash writer. */
    tailmeshAck?: () => Promise<void>
  }
}

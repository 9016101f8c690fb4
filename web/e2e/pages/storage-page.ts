// Test page: core's IndexedDB storage adapter living in Chromium, driven call by call from Node
// (storage-indexeddb.e2e.ts) through `window.tailmeshStorage`.
import { IndexedDbStorage } from '@tailmesh/core/storage/indexeddb'
import type { DocumentStore, StorageAdapter } from '@tailmesh/core'
import { fromBase64, toBase64 } from './base64'
import type { PageResult, StoragePageApi, WireEnvelope } from './storage-page-api'

const handles = new Map<number, StorageAdapter | DocumentStore>()
let next = 1

function register(target: StorageAdapter | DocumentStore): number {
  handles.set(next, target)
  return next++
}

const adapter = (h: number) => handles.get(h) as StorageAdapter
const doc = (h: number) => handles.get(h) as DocumentStore

async function result<T>(run: () => Promise<T>): Promise<PageResult<T>> {
  try {
    return { ok: await run() }
  } catch (e) {
    const error = e instanceof Error ? e : new Error(String(e))
    return { error: { name: error.name, message: error.message } }
  }
}

const done = async (p: Promise<unknown>) => {
  await p
  return null
}

const toWire = (e: { id: string; bytes: Uint8Array; accepted: boolean }): WireEnvelope => ({
  ...e,
  bytes: toBase64(e.bytes),
})
const fromWire = (e: WireEnvelope) => ({ ...e, bytes: fromBase64(e.bytes) })

const api: StoragePageApi = {
  open: (name) => result(async () => register(await IndexedDbStorage.open({ name }))),
  document: (a, g, d) => result(async () => register(await adapter(a).document(g, d))),
  documents: (a, g) => result(() => adapter(a).documents(g)),
  groups: (a) => result(() => adapter(a).groups()),
  get: (a, s, k) =>
    result(async () => {
      const value = await adapter(a).get(s, k)
      return value ? toBase64(value) : null
    }),
  set: (a, s, k, v) => result(() => done(adapter(a).set(s, k, fromBase64(v)))),
  delete: (a, s, k) => result(() => done(adapter(a).delete(s, k))),
  dropGroup: (a, g) => result(() => done(adapter(a).dropGroup(g))),
  close: (a) => result(() => done(adapter(a).close())),
  load: (d) => result(async () => (await doc(d).load()).map(toWire)),
  put: (d, envelopes) => result(() => done(doc(d).put(envelopes.map(fromWire)))),
  remove: (d, ids) => result(() => done(doc(d).remove(ids))),
  closeDocument: (d) => result(() => done(doc(d).close())),

  startWriter: (name, writes) =>
    result(async () => {
      const storage = await IndexedDbStorage.open({ name })
      const stores = new Map<string, DocumentStore>()
      const storeOf = async (groupId: string, docId: string) => {
        const key = JSON.stringify([groupId, docId])
        let store = stores.get(key)
        if (!store) stores.set(key, (store = await storage.document(groupId, docId)))
        return store
      }
      void (async () => {
        for (const w of writes) {
          if (w.kind === 'set') await storage.set(w.scope, w.key, fromBase64(w.value))
          else {
            const store = await storeOf(w.groupId, w.docId)
            if (w.kind === 'put') await store.put(w.envelopes.map(fromWire))
            else await store.remove(w.ids)
          }
          // Not awaited: the next write starts at once, so the kill can land in the middle of one.
          void window.tailmeshAck!()
        }
      })().catch((e: unknown) => console.error('crash writer failed', e))
      return null
    }),
}

window.tailmeshStorage = api

// The writer of the LevelDB crash test, run as a child process: opens the store at argv[2], performs
// the writes in the JSON file argv[3] one after the other, prints "ack" after each resolves, then idles
// until the test kills it with SIGKILL. It never closes the store: nothing gets a chance to flush.
import { readFileSync } from 'node:fs'
import { LevelStorage } from '../src/storage/level'
import type { DocumentStore } from '../src/storage/storage'
import type { CrashWrite } from './storage-conformance'

type WireWrite =
  | {
      kind: 'put'
      groupId: string
      docId: string
      envelopes: { id: string; bytes: number[]; accepted: boolean }[]
    }
  | { kind: 'remove'; groupId: string; docId: string; ids: string[] }
  | { kind: 'set'; scope: string; key: string; value: number[] }

export function toWire(writes: CrashWrite[]): string {
  return JSON.stringify(
    writes.map((w): WireWrite => {
      if (w.kind === 'set') return { ...w, value: [...w.value] }
      if (w.kind === 'put')
        return { ...w, envelopes: w.envelopes.map((e) => ({ ...e, bytes: [...e.bytes] })) }
      return w
    }),
  )
}

async function main(path: string, writesFile: string): Promise<void> {
  const writes = JSON.parse(readFileSync(writesFile, 'utf8')) as WireWrite[]
  const storage = await LevelStorage.open({ path })
  const stores = new Map<string, DocumentStore>()
  for (const w of writes) {
    if (w.kind === 'set') await storage.set(w.scope, w.key, Uint8Array.from(w.value))
    else {
      const name = JSON.stringify([w.groupId, w.docId])
      let doc = stores.get(name)
      if (!doc) stores.set(name, (doc = await storage.document(w.groupId, w.docId)))
      if (w.kind === 'put') await doc.put(w.envelopes.map((e) => ({ ...e, bytes: Uint8Array.from(e.bytes) })))
      else await doc.remove(w.ids)
    }
    process.stdout.write('ack\n')
  }
  setInterval(() => {}, 60_000)
}

const [, self, path, writesFile] = process.argv
if (self && import.meta.url.endsWith(self.replace(/\\/g, '/')) && path && writesFile) {
  main(path, writesFile).catch((e: unknown) => {
    console.error(e)
    process.exit(1)
  })
}

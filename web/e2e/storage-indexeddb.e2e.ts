// core's IndexedDB storage adapter (y-indexeddb) against the one StorageAdapter conformance suite, in
// real Chromium: the adapter lives in the page (pages/storage-page.ts) and the suite's adapter forwards
// each call through page.evaluate. Reopen reloads the page; a crash SIGKILLs the whole Chromium process
// tree while the page is writing, then relaunches Chromium on the same profile directory.
//
// The profile outlives a browser here, which launchPerson (fresh profile, removed on close) does not
// offer, so this file launches its own persistent context with the harness's Chromium and flags.
import { readdir, readFile, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import type { DocumentStore, StorageAdapter, StoredEnvelope } from '@tailmesh/core'
import { describeStorageConformance, type CrashWrite } from '@tailmesh/core/test/storage-conformance'
import { CHROMIUM_FLAGS, chromiumPath, serveTestPage, type StaticServer } from './harness'
import { mergeFeatureFlags } from './harness/person'
import { fromBase64, toBase64 } from './pages/base64'
import type { PageResult, StoragePageApi, WireEnvelope, WireWrite } from './pages/storage-page-api'

const entry = fileURLToPath(new URL('./pages/storage-page.ts', import.meta.url))

let server: StaticServer
let profile: string
let browser: Chromium | null = null
/** Bumped on every page load: a forwarder from an earlier load has nothing left to talk to. */
let generation = 0
let stores = 0
let current = ''

interface Chromium {
  context: BrowserContext
  page: Page
  errors: string[]
  acks: number
  /** Called on each acknowledgement, as soon as Node hears of it. */
  onAck?: () => void
}

beforeAll(async () => {
  server = await serveTestPage('Tailmesh storage in Chromium', entry)
  profile = await mkdtemp(join(tmpdir(), 'tailmesh-e2e-storage-'))
})

afterAll(async () => {
  await browser?.context.close().catch(() => {})
  await server?.close()
  if (profile) await rm(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 })
})

afterEach(() => {
  expect(browser?.errors.splice(0) ?? [], 'errors in the page').toEqual([])
})

async function launch(): Promise<Chromium> {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: await chromiumPath(),
    headless: true,
    args: mergeFeatureFlags(CHROMIUM_FLAGS),
  })
  const page = context.pages()[0] ?? (await context.newPage())
  const launched: Chromium = { context, page, errors: [], acks: 0 }
  page.on('pageerror', (err) => launched.errors.push(`pageerror: ${err.message}`))
  page.on('console', (msg) => {
    if (msg.type() === 'error') launched.errors.push(`console.error: ${msg.text()}`)
  })
  await page.exposeFunction('tailmeshAck', () => {
    launched.acks++
    launched.onAck?.()
  })
  return launched
}

/** A freshly loaded page (nothing of the adapter in memory), in a running Chromium. */
async function loadedPage(): Promise<Chromium> {
  browser ??= await launch()
  await browser.page.goto(server.url('/index.html'))
  await browser.page.waitForFunction(() => window.tailmeshStorage !== undefined)
  generation++
  return browser
}

/** What a page method gives on success; `null` (nothing to give) reads as void. */
type Unwrapped<K extends keyof StoragePageApi> =
  Awaited<ReturnType<StoragePageApi[K]>> extends PageResult<infer T> ? ([T] extends [null] ? void : T) : never

async function call<K extends keyof StoragePageApi>(
  page: Page,
  method: K,
  ...args: Parameters<StoragePageApi[K]>
): Promise<Unwrapped<K>> {
  const result = (await page.evaluate(
    ([m, a]) => (window.tailmeshStorage![m] as (...x: unknown[]) => Promise<unknown>)(...a),
    [method, args] as const,
  )) as PageResult<unknown>
  if ('error' in result) {
    const error = new Error(result.error.message)
    error.name = result.error.name
    throw error
  }
  return result.ok as never
}

/** The suite's view of an adapter living in the page: every method one page.evaluate away. */
function forwarder(page: Page, handle: number): StorageAdapter {
  const loadedIn = generation
  const live = () => {
    if (loadedIn !== generation) throw new Error('the page this adapter lived in has been reloaded')
    return page
  }
  const documentStore = (doc: number): DocumentStore => ({
    load: async () => (await call(live(), 'load', doc)).map(fromWire),
    put: (envelopes) => call(live(), 'put', doc, envelopes.map(toWire)),
    remove: (ids) => call(live(), 'remove', doc, ids),
    close: () => (loadedIn === generation ? call(page, 'closeDocument', doc) : Promise.resolve()),
  })
  return {
    document: async (groupId, docId) => documentStore(await call(live(), 'document', handle, groupId, docId)),
    documents: (groupId) => call(live(), 'documents', handle, groupId),
    groups: () => call(live(), 'groups', handle),
    get: async (scope, key) => {
      const value = await call(live(), 'get', handle, scope, key)
      return value === null ? undefined : fromBase64(value)
    },
    set: (scope, key, value) => call(live(), 'set', handle, scope, key, toBase64(value)),
    delete: (scope, key) => call(live(), 'delete', handle, scope, key),
    dropGroup: (groupId) => call(live(), 'dropGroup', handle, groupId),
    // An adapter whose page was reloaded or whose Chromium was killed has nothing left to close.
    close: async () => void (loadedIn === generation ? await call(page, 'close', handle) : null),
  }
}

async function openStore(name: string): Promise<StorageAdapter> {
  const { page } = await loadedPage()
  return forwarder(page, await call(page, 'open', name))
}

/** The whole process tree of the Chromium running on `profile`, found through /proc. */
async function chromiumProcesses(): Promise<number[]> {
  const parents = new Map<number, number>()
  const roots: number[] = []
  for (const name of await readdir('/proc')) {
    const pid = Number(name)
    if (!Number.isInteger(pid)) continue
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
      parents.set(pid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]))
      const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0')
      if (cmdline.includes(`--user-data-dir=${profile}`) && !cmdline.some((a) => a.startsWith('--type=')))
        roots.push(pid)
    } catch {
      // Gone while we looked.
    }
  }
  const tree = new Set(roots)
  for (let grew = true; grew;) {
    grew = false
    for (const [pid, parent] of parents)
      if (!tree.has(pid) && tree.has(parent)) {
        tree.add(pid)
        grew = true
      }
  }
  return [...tree]
}

async function waitUntilGone(): Promise<void> {
  const deadline = Date.now() + 10_000
  for (let left = await chromiumProcesses(); left.length; left = await chromiumProcesses()) {
    if (Date.now() > deadline) throw new Error(`Chromium processes ${left.join(' ')} survived SIGKILL`)
    for (const pid of left) process.kill(pid, 'SIGKILL')
    await sleep(50)
  }
}

async function crash(writes: CrashWrite[], killAfter: number): Promise<number> {
  const running = await loadedPage()
  // Found beforehand, so the kill itself is a few syscalls right in the acknowledgement's callback:
  // the narrower the gap after an ack, the more a write acknowledged too early would be caught.
  const pids = await chromiumProcesses()
  if (pids.length === 0) throw new Error(`no Chromium process found for ${profile}`)
  let killed = false
  running.onAck = () => {
    if (killed || running.acks < killAfter) return
    killed = true
    for (const pid of pids) process.kill(pid, 'SIGKILL')
  }
  await call(running.page, 'startWriter', current, writes.map(toWireWrite))
  const deadline = Date.now() + 45_000
  while (!killed) {
    if (running.errors.length) throw new Error(`the writer failed: ${running.errors.join('\n')}`)
    if (Date.now() > deadline) throw new Error(`only ${running.acks} of ${killAfter} writes acknowledged`)
    await sleep(10)
  }
  await waitUntilGone()
  browser = null
  generation++
  // Acks already on their way when the kill landed still count: each was a resolved write.
  await running.context.close().catch(() => {})
  return running.acks
}

describeStorageConformance('IndexedDB (y-indexeddb) in Chromium', {
  open: () => openStore((current = `store-${++stores}`)),
  reopen: () => openStore(current),
  crash,
})

function toWire(e: StoredEnvelope): WireEnvelope {
  return { id: e.id, bytes: toBase64(e.bytes), accepted: e.accepted }
}

function fromWire(e: WireEnvelope): StoredEnvelope {
  return { id: e.id, bytes: fromBase64(e.bytes), accepted: e.accepted }
}

function toWireWrite(w: CrashWrite): WireWrite {
  if (w.kind === 'set') return { ...w, value: toBase64(w.value) }
  if (w.kind === 'put') return { ...w, envelopes: w.envelopes.map(toWire) }
  return w
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

// One simulated person: a real Chromium with a profile of their own (fresh --user-data-dir in a temp
// directory), as separate people on separate machines would have. Pages sharing a profile would sync
// over BroadcastChannel and never exercise WebRTC, so each person gets their own.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { chromiumPath } from './chromium'
import { CHROMIUM_FLAGS } from './flags'
import { grantPermissions } from './permissions'

export interface PersonOptions {
  /** Extra Chromium flags, after the standard ones (e.g. LOOPBACK_ONLY_FLAGS). */
  args?: readonly string[]
  /** Resolves relative URLs in page.goto. */
  baseURL?: string
  /** Granted right after launch, for `permissionsOrigin` (or every origin). */
  permissions?: readonly string[]
  permissionsOrigin?: string
  /** Print this person's browser console to the test output, prefixed with their name. */
  echoConsole?: boolean
  /** Milliseconds to wait for Chromium to start. */
  launchTimeoutMs?: number
}

export interface Person {
  readonly name: string
  readonly context: BrowserContext
  /** The page the profile opened with. More: context.newPage(). */
  readonly page: Page
  readonly userDataDir: string
  /** Uncaught page errors and console.error lines from every page of this person, as they came. */
  readonly errors: string[]
  grantPermissions(permissions: readonly string[], origin?: string): Promise<void>
  /** Closes the browser and removes the profile directory. Safe to call twice; never throws. */
  close(): Promise<void>
}

const open = new Set<Person>()

export async function launchPerson(name: string, options: PersonOptions = {}): Promise<Person> {
  const executablePath = await chromiumPath()
  const userDataDir = await mkdtemp(join(tmpdir(), `tailmesh-e2e-${name.replace(/[^\w-]/g, '_')}-`))
  let context: BrowserContext
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: mergeFeatureFlags([...CHROMIUM_FLAGS, ...(options.args ?? [])]),
      baseURL: options.baseURL,
      timeout: options.launchTimeoutMs ?? 30_000,
    })
  } catch (e) {
    await removeDir(userDataDir)
    throw e
  }

  const errors: string[] = []
  const watch = (page: Page) => {
    page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`))
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(`console.error: ${msg.text()}`)
      if (options.echoConsole) process.stdout.write(`[${name}] ${msg.type()}: ${msg.text()}\n`)
    })
  }
  context.pages().forEach(watch)
  context.on('page', watch)

  let closing: Promise<void> | null = null
  const person: Person = {
    name,
    context,
    page: context.pages()[0] ?? (await context.newPage()),
    userDataDir,
    errors,
    grantPermissions: (permissions, origin) => grantPermissions(context, permissions, origin),
    close: () =>
      (closing ??= (async () => {
        open.delete(person)
        try {
          await context.close()
        } catch (e) {
          console.warn(`${name}: closing the browser failed`, e)
        } finally {
          await removeDir(userDataDir)
        }
      })()),
  }
  open.add(person)
  if (options.permissions) {
    try {
      await person.grantPermissions(options.permissions, options.permissionsOrigin)
    } catch (e) {
      await person.close()
      throw e
    }
  }
  return person
}

/** Closes every person still open (for an afterAll that must not leave a browser behind). */
export async function closeEveryone(): Promise<void> {
  await Promise.all([...open].map((p) => p.close()))
}

async function removeDir(dir: string): Promise<void> {
  // Chromium may still be flushing its profile for a moment after exit.
  await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }).catch((e: unknown) =>
    console.warn(`could not remove ${dir}`, e),
  )
}

/**
 * Chromium keeps only the last --enable-features / --disable-features switch, so an extra
 * `--disable-features=X` would silently drop WebRtcHideLocalIpsWithMdns: merge each into one switch.
 * (Playwright's own --disable-features list comes earlier on the command line and is overridden by
 * ours; nothing in it matters for these tests: see web/e2e/README.md.)
 */
export function mergeFeatureFlags(args: readonly string[]): string[] {
  const features = new Map<string, string[]>()
  const out: string[] = []
  for (const arg of args) {
    const m = /^(--(?:enable|disable)-features)=(.*)$/.exec(arg)
    if (!m) {
      out.push(arg)
      continue
    }
    const [, flag = '', list = ''] = m
    if (!features.has(flag)) {
      features.set(flag, [])
      out.push(flag)
    }
    for (const f of list.split(',')) if (f && !features.get(flag)!.includes(f)) features.get(flag)!.push(f)
  }
  return out.map((a) => (features.has(a) ? `${a}=${features.get(a)!.join(',')}` : a))
}

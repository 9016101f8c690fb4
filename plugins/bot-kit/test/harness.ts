// The vitest frame the bot suites share: one real relay process for the file, and after each test
// everything the test started (people, bots, temporary directories) closed, last started first.
import { afterAll, afterEach, beforeAll } from 'vitest'
import { Bot, type BotOptions } from '../src/index'
import { personWithGroup, removeDir, startRelay, tempDir, type Person, type RelayProcess } from './peers'

export interface BotHarness {
  /** The relay of this test file (set once `beforeAll` has run). */
  readonly relay: RelayProcess
  /** Runs `close` after the current test, before what was deferred earlier. */
  defer(close: () => Promise<void> | void): void
  /** A temporary directory removed after the current test. */
  tempDir(prefix?: string): string
  /** A person with a group of their own on the relay, closed after the current test. */
  person(name: string, groupName: string): Promise<Person>
  /** A bot on the relay with a quick reconnect backoff, stopped after the current test. */
  startBot(dataDir: string, name: string, options?: Partial<BotOptions>): Promise<Bot>
}

/** Registers the hooks in the calling test file; call it once at the top level. */
export function botHarness(): BotHarness {
  let relay: RelayProcess | undefined
  const cleanup: (() => Promise<void> | void)[] = []
  beforeAll(async () => {
    relay = await startRelay()
  })
  afterAll(async () => {
    if (!relay) return
    await relay.stop()
    removeDir(relay.dataDir)
  })
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c()
  })

  const harness: BotHarness = {
    get relay() {
      if (!relay) throw new Error('the relay starts in beforeAll: use it inside a test')
      return relay
    },
    defer: (close) => void cleanup.push(close),
    tempDir: (prefix) => {
      const dir = tempDir(prefix)
      cleanup.push(() => removeDir(dir))
      return dir
    },
    person: async (name, groupName) => {
      const p = await personWithGroup(harness.relay, name, groupName)
      cleanup.push(() => p.close())
      return p
    },
    startBot: async (dataDir, name, options = {}) => {
      const bot = await Bot.start({
        dataDir,
        relay: harness.relay.http,
        name,
        backoff: { minMs: 50, maxMs: 300 },
        ...options,
      })
      cleanup.push(() => bot.stop())
      return bot
    },
  }
  return harness
}

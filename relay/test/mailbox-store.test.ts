// The MailboxStore conformance suite (helpers/mailbox-store-conformance.ts) against both engines: the
// embedded LevelDB in a temp dir, and Redis in a real redis-server this file starts (AOF, fsync
// always) and kills with SIGKILL for the restart case.
import { afterAll, beforeAll } from 'vitest'
import { LevelMailboxStore } from '../src/level-mailbox-store'
import { createLogger } from '../src/logger'
import { RedisLink } from '../src/redis-link'
import { RedisMailboxStore } from '../src/redis-mailbox-store'
import { describeMailboxStoreConformance } from './helpers/mailbox-store-conformance'
import { startRedis, type RedisServer } from './helpers/redis-server'
import { removeDir, tempDir } from './helpers/relay-process'

const log = createLogger('silent')
const dirs: string[] = []
afterAll(() => dirs.forEach(removeDir))

describeMailboxStoreConformance('LevelDB (embedded)', {
  async open(limits) {
    const dir = tempDir('tailmesh-store-')
    dirs.push(dir)
    return LevelMailboxStore.open(dir, limits, log)
  },
  async reopen(previous, limits) {
    await previous.close()
    return LevelMailboxStore.open(dirs.at(-1)!, limits, log)
  },
})

let redis: RedisServer
const links = new Map<object, RedisLink>()
beforeAll(async () => {
  redis = await startRedis()
})
afterAll(async () => {
  for (const l of links.values()) await l.close()
  await redis?.stop()
})
const openRedisStore = async (limits: Parameters<typeof RedisMailboxStore.open>[1]) => {
  const link = await RedisLink.connect(redis.url, log)
  const store = await RedisMailboxStore.open(link, limits, log)
  links.set(store, link)
  return store
}

describeMailboxStoreConformance('Redis', {
  async open(limits) {
    const link = await RedisLink.connect(redis.url, log)
    await link.cmd.flushall()
    await link.close()
    return openRedisStore(limits)
  },
  async reopen(previous, limits) {
    await previous.close()
    await links.get(previous)?.close()
    links.delete(previous)
    await redis.kill9()
    await redis.restart()
    return openRedisStore(limits)
  },
})

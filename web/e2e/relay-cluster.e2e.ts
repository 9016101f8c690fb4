// The deployment docs/DEPLOY.md describes, for real: Caddy (Debian's) with `tls internal` in front of
// two relay processes that share one redis-server, the shipped Caddyfile's balancing (sticky cookie,
// round-robin for new browsers). Alice and Bob, each in their own Chromium profile (which ignores the
// local CA's certificate), open the app at https://, land on different relay processes and chat
// through wss:// — their signaling and mail cross from one process to the other through Redis.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort, requireDebianBinary } from '@tailmesh/core/test/debian-binary'
import { until } from '@tailmesh/core/test/until'
import { startRedis, type RedisServer } from '@tailmesh/relay/test/redis-server'
import { removeDir, spawnRelay, type RelayProcess } from '@tailmesh/relay/test/relay-process'
import { closeEveryone, launchPerson, repoRoot, type Person } from './harness'
import { buildApp } from './app/relay'
import { joinWith } from './app/manage-steps'
import { chooseNickname, copyInviteLink, createGroup, messages, send } from './app/steps'

let redis: RedisServer
const relays: RelayProcess[] = []
let caddy: ChildProcess | null = null
let caddyExited: Promise<void> = Promise.resolve()
const caddyDir = mkdtempSync(join(tmpdir(), 'tailmesh-caddy-'))
let origin = ''
let alice: Person
let bob: Person

/** The shipped Caddyfile's reverse_proxy block, on this test's ports, with Caddy's own CA. */
function caddyfile(httpsPort: number, httpPort: number, upstreams: number[]): string {
  return `{
	admin off
	http_port ${httpPort}
	https_port ${httpsPort}
	skip_install_trust
	storage file_system ${join(caddyDir, 'data')}
}
https://127.0.0.1:${httpsPort} {
	tls internal
	reverse_proxy ${upstreams.map((p) => `127.0.0.1:${p}`).join(' ')} {
		lb_policy cookie tailmesh_relay {
			fallback round_robin
		}
		health_uri /healthz
		health_interval 5s
	}
}
`
}

async function startCaddy(upstreams: number[]): Promise<string> {
  const binary = requireDebianBinary('caddy')
  const [httpsPort, httpPort] = [await freePort(), await freePort()]
  const config = join(caddyDir, 'Caddyfile')
  writeFileSync(config, caddyfile(httpsPort, httpPort, upstreams))
  const proc = spawn(binary, ['run', '--config', config, '--adapter', 'caddyfile'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HOME: caddyDir, XDG_DATA_HOME: caddyDir, XDG_CONFIG_HOME: caddyDir },
  })
  caddy = proc
  let out = ''
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  caddyExited = new Promise((r) => proc.once('exit', () => r()))
  const url = `https://127.0.0.1:${httpsPort}`
  await until(
    `Caddy serves ${url}`,
    async () => {
      if (proc.exitCode !== null) throw new Error(`caddy exited:\n${out}`)
      // Caddy's internal CA is not trusted by Node either: this probe only checks that TLS is up.
      const ok = await new Promise<boolean>((resolve) => {
        const tls = spawn(process.execPath, [
          '-e',
          `require('https').get('${url}/healthz',{rejectUnauthorized:false},r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))`,
        ])
        tls.once('exit', (code) => resolve(code === 0))
      })
      return ok
    },
    30_000,
  )
  return url
}

const health = async (r: RelayProcess) =>
  (await (await fetch(`${r.http}/healthz`)).json()) as { connections: { signal: number; mailbox: number } }

beforeAll(async () => {
  await buildApp()
  redis = await startRedis()
  for (let i = 0; i < 2; i++)
    relays.push(
      await spawnRelay([
        '--redis',
        redis.url,
        '--no-libp2p',
        '--trust-proxy',
        '--web',
        join(repoRoot, 'web/dist'),
      ]),
    )
  origin = await startCaddy(relays.map((r) => r.port))
  const args = ['--ignore-certificate-errors']
  alice = await launchPerson('alice', { baseURL: origin, args })
  bob = await launchPerson('bob', { baseURL: origin, args })
}, 240_000)

afterAll(async () => {
  await closeEveryone()
  caddy?.kill('SIGTERM')
  await caddyExited
  for (const r of relays) {
    await r.stop()
    removeDir(r.dataDir)
  }
  await redis?.stop()
  rmSync(caddyDir, { recursive: true, force: true })
})

describe('two people chat through Caddy (TLS) over a two-process relay cluster', () => {
  it('Alice and Bob land on different relay processes and chat through wss://', async () => {
    const a = alice.page
    const b = bob.page
    await a.goto('/')
    expect(a.url().startsWith('https://')).toBe(true)
    await chooseNickname(a, 'Alice')
    await createGroup(a, 'Behind the proxy')
    await send(a, 'Hello from the first relay')
    const link = await copyInviteLink(a)
    // The cookie names the relay a profile sticks to. New browsers go round-robin, but requests sent
    // without cookies (the web manifest) take turns too: Bob starts over until he is on the other one.
    const relayOf = async (p: Person) =>
      (await p.context.cookies()).find((c) => c.name === 'tailmesh_relay')?.value
    const alicesRelay = await relayOf(alice)
    expect(alicesRelay).toBeDefined()
    for (let i = 0; i < 6; i++) {
      await b.goto('/healthz') // any request through Caddy picks the relay; the app opens later
      await until("Bob's relay cookie is set", async () => (await relayOf(bob)) !== undefined)
      if ((await relayOf(bob)) !== alicesRelay) break
      await bob.context.clearCookies()
    }
    expect(await relayOf(bob)).not.toBe(alicesRelay)
    await joinWith(b, link, 'Bob')
    await messages(b).filter({ hasText: 'Hello from the first relay' }).first().waitFor({ timeout: 30_000 })
    await send(b, 'Hello back from the second relay')
    await messages(a)
      .filter({ hasText: 'Hello back from the second relay' })
      .first()
      .waitFor({ timeout: 30_000 })
    // Each profile's sockets stick to one relay (the cookie), and the two were spread round-robin.
    await until('both relay processes hold sockets', async () => {
      const [x, y] = await Promise.all(relays.map(health))
      return (
        x!.connections.signal + x!.connections.mailbox > 0 &&
        y!.connections.signal + y!.connections.mailbox > 0
      )
    })
  }, 180_000)
})

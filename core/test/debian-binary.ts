// Tests that need a real component from Debian (redis-server, caddy, turnserver) find it here, or
// fail with a message saying how to install it: they never skip. `.ci/run` installs them on CI.
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'

const packages: Record<string, string> = {
  'redis-server': 'redis-server',
  'redis-cli': 'redis-tools',
  caddy: 'caddy',
  turnserver: 'coturn',
  chromium: 'chromium',
}

/** The absolute path of `command` under /usr/bin, /usr/sbin or /usr/local/bin, or an Error with install help. */
export function requireDebianBinary(command: string): string {
  for (const dir of ['/usr/bin', '/usr/sbin', '/usr/local/bin']) {
    const path = `${dir}/${command}`
    if (existsSync(path)) return path
  }
  const pkg = packages[command] ?? command
  throw new Error(
    `This test needs \`${command}\` and it is not installed. ` +
      `Install it with \`apt-get install -y ${pkg}\` (Debian/Ubuntu; .ci/run does this on CI).`,
  )
}

/** A TCP port free on 127.0.0.1 right now (for programs that cannot take port 0 and report back). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, host, () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

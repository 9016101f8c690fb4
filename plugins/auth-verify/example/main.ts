// npx tsx plugins/auth-verify/example/main.ts [--port 8790] [--host 127.0.0.1] [--role Leader]
import { parseArgs } from 'node:util'
import { startExampleSite } from './server'

const { values } = parseArgs({
  options: { port: { type: 'string', default: '8790' }, host: { type: 'string' }, role: { type: 'string' } },
})
const site = await startExampleSite({ port: Number(values.port), host: values.host, role: values.role })
process.stdout.write(`Example site on ${site.url} — add it as a web panel's address.\n`)

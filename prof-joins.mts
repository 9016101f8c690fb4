import { Session } from 'node:inspector/promises'
import { writeFileSync } from 'node:fs'
import '/work/main/core/test/node-setup'
import { groupFixture } from '/work/main/bench/large-group/fixture'
import { reopen } from '/work/main/bench/large-group/rows'
async function main() {
  const f = await groupFixture({ n: 10000, batch: 200, late: 3, messages: 5000 }, true)
  const { group, ms } = await reopen(f)
  console.log('reopen ms', ms.toFixed(0))
  const s = new Session(); s.connect(); await s.post('Profiler.enable'); await s.post('Profiler.start')
  const t = performance.now()
  await group.gate.receiveMany(f.batch)
  console.log('ms per join', ((performance.now() - t) / f.batch.length).toFixed(2))
  const { profile } = await s.post('Profiler.stop')
  writeFileSync('/tmp/prof/recv.cpuprofile', JSON.stringify(profile))
}
main()

// LevelDB (classic-level) against the conformance suite, on real directories; the crash cases kill a
// writer child process with SIGKILL and reopen its directory here.
import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { LevelStorage } from './level'
import { StorageError } from './errors'
import { ValidationError } from '../errors'
import { describeStorageConformance, type CrashWrite } from '../../test/storage-conformance'
import { toWire } from '../../test/level-crash-writer'

const writer = fileURLToPath(new URL('../../test/level-crash-writer.ts', import.meta.url))
const dirs: string[] = []
let current = ''

afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })))
})

async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tailmesh-level-'))
  dirs.push(dir)
  return dir
}

/** Runs the writer child over `path`, killing it with SIGKILL once it has printed `killAfter` acks. */
async function crash(path: string, writes: CrashWrite[], killAfter: number): Promise<number> {
  const file = join(await freshDir(), 'writes.json')
  await writeFile(file, toWire(writes))
  const child = spawn(process.execPath, ['--import', 'tsx', writer, path, file], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let acks = 0
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  child.stdout.on('data', (d: Buffer) => {
    // Every ack printed before the kill is a write that resolved, even if read after it.
    acks += d.toString().split('ack\n').length - 1
    if (acks >= killAfter && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  const [code, signal] = await new Promise<[number | null, string | null]>((resolve) =>
    child.on('close', (c, s) => resolve([c, s])),
  )
  if (signal !== 'SIGKILL') throw new Error(`the writer ended by itself (${code}): ${stderr}`)
  return acks
}

describeStorageConformance('LevelDB (classic-level)', {
  open: async () => LevelStorage.open({ path: (current = await freshDir()) }),
  reopen: () => LevelStorage.open({ path: current }),
  crash: (writes, killAfter) => crash(current, writes, killAfter),
})

describe('LevelDB storage', () => {
  it('refuses a second opener of the same directory with a StorageError saying why', async () => {
    const path = await freshDir()
    const first = await LevelStorage.open({ path })
    try {
      const second = LevelStorage.open({ path })
      await expect(second).rejects.toBeInstanceOf(StorageError)
      await expect(second).rejects.toThrow(/another process has it open/)
    } finally {
      await first.close()
    }
  })

  it('refuses ids containing NUL (its key separator) with a ValidationError', async () => {
    const storage = await LevelStorage.open({ path: await freshDir() })
    try {
      await expect(storage.document('g\0x', 'g')).rejects.toBeInstanceOf(ValidationError)
      const doc = await storage.document('g', 'g')
      await expect(doc.put([{ id: 'a\0', bytes: new Uint8Array(1), accepted: true }])).rejects.toBeInstanceOf(
        ValidationError,
      )
      await expect(storage.set('s', 'k\0', new Uint8Array(1))).rejects.toBeInstanceOf(ValidationError)
    } finally {
      await storage.close()
    }
  })
})

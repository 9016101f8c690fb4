// The libp2p adapter must not grow the initial browser bundle: its module, and core's main entry, are
// bundled here as a browser build would (esbuild, code splitting) and the entry chunks checked for
// libp2p code. libp2p itself is exercised against the real relay in relay/test/transports-libp2p.test.ts.
import { fileURLToPath } from 'node:url'
import { build, type Metafile } from 'esbuild'
import { describe, expect, it } from 'vitest'
import {
  LengthPrefixedReader,
  decodePublished,
  encodePublished,
  lengthPrefixed,
  topicIdBytes,
} from './libp2p-wire'

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url))

async function entryInputs(entry: string): Promise<{ entry: string[]; all: string[] }> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    outdir: '/tmp/tailmesh-libp2p-bundle-check',
    metafile: true,
    logLevel: 'silent',
  })
  const outputs = Object.values((result.metafile as Metafile).outputs)
  const main = outputs.find((o) => o.entryPoint !== undefined)!
  return { entry: Object.keys(main.inputs), all: outputs.flatMap((o) => Object.keys(o.inputs)) }
}

const isLibp2p = (path: string) => /node_modules\/(libp2p|@libp2p|@chainsafe)\//.test(path)

describe('libp2p adapter: loaded lazily', () => {
  it('its module pulls libp2p only through the dynamic import inside open()', async () => {
    const { entry, all } = await entryInputs(here('./libp2p.ts'))
    expect(entry.filter(isLibp2p)).toEqual([])
    // ...and the split-off chunk does have it: the check above can see libp2p where it is.
    expect(all.some(isLibp2p)).toBe(true)
  }, 60_000)

  it("core's main entry has no libp2p at all", async () => {
    const { all } = await entryInputs(here('../../index.ts'))
    expect(all.filter(isLibp2p)).toEqual([])
  }, 60_000)
})

describe('libp2p wire', () => {
  it('a published message is signature ‖ sealed', () => {
    const sig = new Uint8Array(64).fill(7)
    const sealed = new Uint8Array([1, 2, 3])
    const decoded = decodePublished(encodePublished(sig, sealed))!
    expect(decoded.signature).toEqual(sig)
    expect(decoded.sealed).toEqual(sealed)
    expect(decodePublished(new Uint8Array(64))).toBeNull()
  })

  it('length-prefixed messages survive any chunking, and too large ones are refused', () => {
    const messages = [new Uint8Array(0), new Uint8Array(300).fill(1), new Uint8Array(20_000).fill(2)]
    const stream = new Uint8Array(messages.reduce((n, m) => n + lengthPrefixed(m).length, 0))
    let at = 0
    for (const m of messages) {
      stream.set(lengthPrefixed(m), at)
      at += lengthPrefixed(m).length
    }
    for (const size of [1, 2, 7, 1000, stream.length]) {
      const reader = new LengthPrefixedReader(20_000)
      const got: Uint8Array[] = []
      for (let i = 0; i < stream.length; i += size) got.push(...reader.push(stream.subarray(i, i + size)))
      expect(got).toEqual(messages)
    }
    expect(() => new LengthPrefixedReader(100).push(lengthPrefixed(new Uint8Array(101)))).toThrow()
  })

  it('topic ids are 64 lowercase hex digits', () => {
    expect(topicIdBytes('ab'.repeat(32))).toEqual(new Uint8Array(32).fill(0xab))
    expect(() => topicIdBytes('AB'.repeat(32))).toThrow()
    expect(() => topicIdBytes('ab')).toThrow()
  })
})

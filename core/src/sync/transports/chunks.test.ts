import { describe, expect, it } from 'vitest'
import { MalformedError } from '../../errors'
import { Reassembler, splitFrame } from './chunks'

const frame = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) & 255)

describe('data-channel chunks', () => {
  it('round-trips frames of every size around the chunk boundaries, each chunk within the limit', () => {
    const r = new Reassembler(1 << 20)
    for (const n of [0, 1, 99, 100, 101, 195, 196, 197, 1000, 300 * 1024]) {
      const chunks = splitFrame(frame(n), 100)
      for (const c of chunks) expect(c.length).toBeLessThanOrEqual(100)
      const out = chunks.map((c) => r.push(c))
      expect(out.slice(0, -1).every((x) => x === null)).toBe(true)
      expect(out.at(-1)).toEqual(frame(n))
    }
  })

  it('refuses frames over the limit and chunks out of sequence', () => {
    expect(() => new Reassembler(50).push(splitFrame(frame(60), 100)[0]!)).toThrow(MalformedError)
    expect(() => new Reassembler(500).push(splitFrame(frame(600), 100)[0]!)).toThrow(MalformedError)
    const [first, second] = splitFrame(frame(300), 100)
    expect(() => new Reassembler(1000).push(second!)).toThrow(MalformedError)
    const r = new Reassembler(1000)
    r.push(first!)
    expect(() => r.push(first!)).toThrow(MalformedError)
    expect(() => new Reassembler(1000).push(new Uint8Array([9, 1, 2]))).toThrow(MalformedError)
  })
})

// A pen stroke's points as a compact string, so a long stroke fits plugin state's 2 KB values: each
// coordinate is quantised to half a unit and stored as the zigzag delta from the previous one, in
// base64url digits of 5 payload bits plus a continuation bit. A hand-drawn stroke moves a few units
// between samples, so most points take two characters (JSON: ~10).

const DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const VALUE = new Map([...DIGITS].map((c, i) => [c, i]))
/** Half-unit precision: finer than a screen pixel at 100 %, coarse enough to stay short. */
const SCALE = 2

export type Point = readonly [number, number]

function writeInt(out: string[], n: number): void {
  let z = n >= 0 ? n * 2 : -n * 2 - 1
  for (;;) {
    const low = z % 32
    z = Math.floor(z / 32)
    out.push(DIGITS[z > 0 ? low + 32 : low]!)
    if (z === 0) return
  }
}

/** Encodes points (already relative to the stroke's origin). */
export function encodePoints(points: readonly Point[]): string {
  const out: string[] = []
  let px = 0
  let py = 0
  for (const [x, y] of points) {
    const qx = Math.round(x * SCALE)
    const qy = Math.round(y * SCALE)
    writeInt(out, qx - px)
    writeInt(out, qy - py)
    px = qx
    py = qy
  }
  return out.join('')
}

/** Decodes what encodePoints wrote; garbage (another client's) throws a RangeError. */
export function decodePoints(text: string): Point[] {
  const out: Point[] = []
  const ints: number[] = []
  let z = 0
  let shift = 1
  for (const c of text) {
    const v = VALUE.get(c)
    if (v === undefined) throw new RangeError('not a point code')
    z += (v & 31) * shift
    if (v & 32) {
      shift *= 32
      if (shift > 2 ** 35) throw new RangeError('point code too long')
      continue
    }
    ints.push(z % 2 === 0 ? z / 2 : -(z + 1) / 2)
    z = 0
    shift = 1
  }
  if (shift !== 1 || ints.length % 2) throw new RangeError('truncated point code')
  let x = 0
  let y = 0
  for (let i = 0; i < ints.length; i += 2) {
    x += ints[i]!
    y += ints[i + 1]!
    out.push([x / SCALE, y / SCALE])
  }
  return out
}

/** Ramer–Douglas–Peucker: drops points closer than `epsilon` to the line through their neighbours. */
export function simplify(points: readonly Point[], epsilon: number): Point[] {
  if (points.length < 3) return [...points]
  const keep = new Uint8Array(points.length)
  keep[0] = keep[points.length - 1] = 1
  const stack: [number, number][] = [[0, points.length - 1]]
  while (stack.length) {
    const [a, b] = stack.pop()!
    const [ax, ay] = points[a]!
    const [bx, by] = points[b]!
    const dx = bx - ax
    const dy = by - ay
    const len = Math.hypot(dx, dy) || 1
    let far = -1
    let farDist = epsilon
    for (let i = a + 1; i < b; i++) {
      const [px, py] = points[i]!
      const d = Math.abs(dy * (px - ax) - dx * (py - ay)) / len
      if (d > farDist) {
        far = i
        farDist = d
      }
    }
    if (far >= 0) {
      keep[far] = 1
      stack.push([a, far], [far, b])
    }
  }
  return points.filter((_, i) => keep[i])
}

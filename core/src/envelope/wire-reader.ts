// A bounds-checked reader over lib0-encoded bytes from the network. Every failure is a MalformedError
// that names the field, and lengths are checked against limits before anything is allocated, so a
// hostile frame can neither crash a peer with an unexpected error type nor make it allocate much.
import * as decoding from 'lib0/decoding'
import { MalformedError } from '../errors'
import { fromUtf8 } from '../bytes'

export class WireReader {
  readonly #d: decoding.Decoder
  readonly #what: string

  /** `what` names the structure in error messages ("envelope", "sealed envelope"). */
  constructor(bytes: Uint8Array, what: string) {
    this.#d = decoding.createDecoder(bytes)
    this.#what = what
  }

  get remaining(): number {
    return this.#d.arr.length - this.#d.pos
  }

  fail(reason: string): MalformedError {
    return new MalformedError(`Malformed ${this.#what}: ${reason}.`)
  }

  varUint(field: string): number {
    if (this.remaining === 0) throw this.fail(`truncated before ${field}`)
    let n: number
    try {
      n = decoding.readVarUint(this.#d)
    } catch {
      throw this.fail(`truncated or oversized integer in ${field}`)
    }
    if (!Number.isSafeInteger(n)) throw this.fail(`${field} is not a safe integer`)
    return n
  }

  /** Exactly `length` bytes, copied (so the result does not pin the caller's possibly large buffer). */
  bytes(length: number, field: string): Uint8Array {
    if (this.remaining < length)
      throw this.fail(`truncated in ${field} (needs ${length} bytes, ${this.remaining} left)`)
    return decoding.readUint8Array(this.#d, length).slice()
  }

  /** A varuint length then that many bytes; the length is checked against `maxBytes` first. */
  varBytes(field: string, maxBytes: number): Uint8Array {
    const length = this.varUint(`${field} length`)
    if (length > maxBytes) throw this.fail(`${field} is ${length} bytes, over the ${maxBytes}-byte limit`)
    return this.bytes(length, field)
  }

  /** A length-prefixed UTF-8 string of at most `maxBytes` bytes, which must be valid UTF-8. */
  varString(field: string, maxBytes: number): string {
    const raw = this.varBytes(field, maxBytes)
    try {
      return fromUtf8(raw)
    } catch {
      throw this.fail(`${field} is not valid UTF-8`)
    }
  }

  /** Refuse trailing bytes: one message, one encoding. */
  end(): void {
    if (this.remaining !== 0) throw this.fail(`${this.remaining} trailing bytes`)
  }
}

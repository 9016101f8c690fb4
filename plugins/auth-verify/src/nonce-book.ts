// The site's side of "one assertion, one sign-in": nonces it issued, each good once and for a while.
// In memory: a site with several server processes keeps them in its shared store instead (the
// `nonce` option of verifyAssertion takes any function).

export interface NonceBookOptions {
  /** How long an issued nonce may be used, ms (default 10 minutes). */
  ttlMs?: number
  /** At most this many outstanding nonces; the oldest go first (default 10,000). */
  max?: number
  now?: () => number
}

export class NonceBook {
  private readonly issued = new Map<string, number>()
  private readonly ttlMs: number
  private readonly max: number
  private readonly now: () => number

  constructor(options: NonceBookOptions = {}) {
    this.ttlMs = options.ttlMs ?? 10 * 60_000
    this.max = options.max ?? 10_000
    this.now = options.now ?? Date.now
  }

  /** A fresh random nonce (128 bits, hex). */
  issue(): string {
    const bytes = crypto.getRandomValues(new Uint8Array(16))
    const nonce = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')
    this.issued.set(nonce, this.now() + this.ttlMs)
    while (this.issued.size > this.max) this.issued.delete(this.issued.keys().next().value!)
    return nonce
  }

  /** True once for a nonce issued here and not expired; false ever after. */
  consume = (nonce: string): boolean => {
    const until = this.issued.get(nonce)
    this.issued.delete(nonce)
    return until !== undefined && until >= this.now()
  }
}

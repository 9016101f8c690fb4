// The one bridge between core and WebCrypto's typings. Core is type-checked both with the DOM library
// (root tsconfig) and without it (core/tsconfig.json, Node types only), where `CryptoKey` is not a global
// name and where TS 6 wants ArrayBuffer-backed views (not SharedArrayBuffer-backed) for every
// BufferSource. Everything crypto-related imports its types and byte conversion from here.

/** The runtime's WebCrypto key type, spelled so that it resolves with or without the DOM library. */
export type CryptoKey = Awaited<ReturnType<typeof globalThis.crypto.subtle.importKey>>

/** WebCrypto's subtle interface (browser and Node 20 both provide it on globalThis). */
export const subtle = (): typeof globalThis.crypto.subtle => globalThis.crypto.subtle

/**
 * View `bytes` as an ArrayBuffer-backed Uint8Array, copying only when the bytes live in some other
 * kind of buffer (SharedArrayBuffer), so WebCrypto calls type-check without casts at every call site.
 */
export function bufferSource(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes)
}

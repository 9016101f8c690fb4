// What the core test page (core-page.ts) offers the Node side through `window.tailmeshCore`.
// Everything crossing the boundary is JSON-like; bytes travel as base64 (see base64.ts).

export interface MadeGroup {
  groupId: string
  userId: string
  /** The "general" panel. */
  general: string
  messageIds: string[]
  /** The invite link's secret. */
  inviteSecret: string
  /** Every envelope the page's gate holds, encoded (encodeEnvelope), in timeline order. */
  envelopes: string[]
}

export interface PageVerdict {
  kind: 'accept' | 'reject' | 'defer'
  reason?: string
}

export interface PageMessage {
  author: string
  body: string
  replyTo?: { id: string; excerpt: string }
}

export interface WebCryptoReport {
  ed25519: boolean
  x25519: boolean
  aesGcm: boolean
  /** Why each missing algorithm failed, for a loud test failure. */
  errors: string[]
}

export interface CorePageApi {
  webCrypto(): Promise<WebCryptoReport>
  /** A new identity creates a group named `name` and sends `messages` to its general panel. */
  makeGroup(name: string, messages: string[]): Promise<MadeGroup>
  /** Hands encoded envelopes to the page's gate; the verdicts come back in order. */
  receive(envelopes: string[]): Promise<PageVerdict[]>
  message(messageId: string): PageMessage | null
  /** The page identity's passphrase-encrypted backup file. */
  exportBackup(passphrase: string): Promise<string>
}

declare global {
  interface Window {
    tailmeshCore?: CorePageApi
  }
}

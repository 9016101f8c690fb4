// The numbers of the /mailbox wire protocol (relay/PROTOCOL.md is the full specification). They are
// part of the protocol: never renumber, only add.

/** Sent by a client to the relay. */
export const MailboxClientOp = {
  append: 1,
  read: 2,
  subscribe: 3,
  unsubscribe: 4,
  snapshot: 5,
  /** One chunk of a snapshot too large for one frame; the last chunk in commits the whole. */
  snapshotChunk: 6,
  /** Chunks of the topic's chunked snapshot, from an index on. */
  readSnapshot: 7,
} as const
export type MailboxClientOp = (typeof MailboxClientOp)[keyof typeof MailboxClientOp]

/** Sent by the relay to a client. */
export const MailboxRelayOp = {
  ack: 16,
  entries: 17,
  push: 18,
  error: 19,
  /** The answer to readSnapshot. */
  chunks: 20,
} as const
export type MailboxRelayOp = (typeof MailboxRelayOp)[keyof typeof MailboxRelayOp]

/**
 * Error codes borrow HTTP's numbers so that a reader recognises the class of failure at a glance.
 * A client may retry 429, 500 and 503 later; the others mean the request itself must change.
 */
export const MailboxErrorCode = {
  /** The frame does not decode, has trailing bytes, or a field has the wrong length. */
  malformed: 400,
  /** The signature does not verify under the topic's registered key. */
  badSignature: 401,
  /** The topic is registered under a different public key (a stranger's write). */
  keyMismatch: 403,
  /** The topic has no registered key yet and the frame carried none (or cannot register one). */
  unknownTopic: 404,
  /**
   * A cursor that is not allowed here: a snapshot beyond the head or not past the last snapshot, a
   * chunk that disagrees with its upload, or a chunked snapshot read after it was replaced.
   */
  badCursor: 409,
  /** The frame is larger than the relay accepts. */
  tooLarge: 413,
  /** Too many frames per second on this connection, or too many subscriptions. */
  rateLimited: 429,
  /** The relay failed (storage error); the request may be retried. */
  internal: 500,
  /** The relay is shutting down; reconnect later. */
  shuttingDown: 503,
  /**
   * The topic (or the whole relay store) is over its byte quota, or a snapshot does not fit it; the
   * reason says which and the bound (relay/PROTOCOL.md, "Quotas"). A topic over its quota: compact.
   */
  quotaExceeded: 507,
} as const
export type MailboxErrorCode = (typeof MailboxErrorCode)[keyof typeof MailboxErrorCode]

/** Bit flags in an ack frame. */
export const MailboxAckFlag = {
  /** The appended entry was already stored (same bytes): nothing was added. */
  duplicate: 1,
  /** snapshotChunk: this chunk completed its upload, and the snapshot replaced the entries it covers. */
  committed: 2,
} as const

export const MAILBOX_TOPIC_BYTES = 32
export const MAILBOX_PUBLIC_KEY_BYTES = 32
export const MAILBOX_SIGNATURE_BYTES = 64
/** The relay's default (and the protocol's recommended) largest frame: 256 KiB. */
export const MAILBOX_MAX_FRAME_BYTES = 256 * 1024
/** A chunked snapshot upload is named by a random id of this many bytes, chosen by the uploader. */
export const MAILBOX_UPLOAD_ID_BYTES = 16
/** The most chunks one snapshot may have (with 256 KiB frames: 4 GiB, past any topic quota). */
export const MAILBOX_MAX_SNAPSHOT_CHUNKS = 16_384
/** The most entries one read returns, whatever the client asks for. */
export const MAILBOX_MAX_READ_LIMIT = 1000

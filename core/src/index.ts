// @tailmesh/core: the framework-free domain and sync engine of Tailmesh. It runs in the browser and
// in Node on WebCrypto alone, and knows nothing of Vue, the web app, the relay or plugins' UI.
//
// This file is the package's public surface: per area, the names that web/, relay/, plugins/ and
// bench/ import from '@tailmesh/core' (core's own tests and test helpers import modules directly).
// A name is added here when something outside core needs it, not because its module exports it.
// Subpath exports (package.json) carry what only one environment loads: storage/level,
// storage/indexeddb, sync/libp2p, sync/webrtc, and the test helpers.
//
// Deliberately internal: the primitives under the public crypto (AES-GCM, X25519, HKDF, raw key
// bytes); client claims and the envelope's wire reader; the gate's rules, footprints and timeline;
// record validators and the Yjs roots and keys of the group document (documents.ts, records.ts) but
// for the few the app reads; decoding sync frames, the blob frames; timeline and blob stores; friend
// messages; the owner channel. Core's own modules import each other directly, never this file.

// Errors and bytes: the error classes callers tell apart, base64url and UTF-8.
export { InvalidOperationError, PermissionDeniedError, ValidationError } from './errors'
export { bytesEqual, fromBase64Url, toBase64Url, utf8 } from './bytes'

// Crypto: Ed25519 signing and SHA-256 (AES-GCM, X25519 and HKDF stay inside).
export { type CryptoKey } from './crypto/webcrypto'
export { generateSigningKeyPair, sign, signingKeyPairFromSeed } from './crypto/ed25519'
export { sha256 } from './crypto/hash'

// Identity: user ids, the identity key, profiles, backups, linked devices' certificates.
export { type UserId } from './identity/user-id'
export { Identity } from './identity/identity'
export {
  type Profile,
  PROFILE_LIMITS,
  type SignedProfile,
  signProfile,
  validateProfile,
} from './identity/profile'
export { exportIdentityBackup, importIdentityBackup } from './identity/backup'
export {
  deviceCertFromJson,
  deviceCertToJson,
  type DeviceCertJson,
  issueDeviceCert,
} from './identity/device-cert'

// Keys: the group key, invite key pairs, relay topics.
export { GroupKey } from './keys/group-key'
export { inviteIdOf, inviteKeyPair } from './keys/invite-key'
export { deriveTopic } from './keys/topic'

// Envelope: the signed, sealed unit of sync and its hybrid clock.
export { hlcFromWall, hlcWallMs, HybridClock } from './envelope/hlc'
export {
  decodeEnvelope,
  encodeEnvelope,
  type Envelope,
  envelopeId,
  signEnvelope,
  verifyEnvelopeSignature,
} from './envelope/envelope'
export { openSealedEnvelope, sealEnvelope } from './envelope/seal'

// Mailbox wire: the /mailbox protocol the relay speaks (codes, frames, what a topic key signs).
export {
  MAILBOX_MAX_FRAME_BYTES,
  MAILBOX_MAX_READ_LIMIT,
  MAILBOX_MAX_SNAPSHOT_CHUNKS,
  MAILBOX_PUBLIC_KEY_BYTES,
  MAILBOX_UPLOAD_ID_BYTES,
  MailboxAckFlag,
  MailboxClientOp,
  MailboxErrorCode,
  MailboxRelayOp,
} from './mailbox/codes'
export {
  decodeMailboxClientFrame,
  decodeMailboxRelayFrame,
  encodeMailboxClientFrame,
  encodeMailboxRelayFrame,
  type MailboxAckFrame,
  type MailboxChunksFrame,
  type MailboxClientFrame,
  type MailboxEntriesFrame,
  type MailboxErrorFrame,
  MailboxFrameError,
  type MailboxPushFrame,
  type MailboxReadSnapshotFrame,
  type MailboxRelayFrame,
  type MailboxSnapshotChunkFrame,
  type SnapshotChunk,
} from './mailbox/frames'
export { appendSigningBytes, snapshotChunkSigningBytes, snapshotSigningBytes } from './mailbox/signing'

// Group model: documents, records, authority, permissions, invites, history and what is unread.
export { type BuiltinPoint, isPoint, PERMISSION_POINTS, type Point, PREREQUISITE } from './group/points'
export {
  LIMITS,
  type MemberRecord,
  type MessageRecord,
  type PanelRecord,
  type PermissionOverride,
  type PanelType,
} from './group/records'
export {
  bucketOfWallMs,
  EVERYONE_ROLE,
  hlcOfMessageId,
  messageIdFor,
  PanelRoot,
  parseDocId,
} from './group/documents'
export {
  type AuthorityState,
  type GroupInfo,
  isMember,
  isMuted,
  memberIds,
  rolesOf,
} from './group/authority-state'
export { resolvePermissions } from './group/permissions'
export { createGroup, openGroup, type OpenGroup } from './group/create'
export { GroupActions, newId, type SendOptions, type SentMessage } from './group/operations'
export { openKeyring } from './group/keyring'
export { devicesOf, recordDevice, revokeDevice } from './group/devices'
export {
  decodeInvitePayload,
  encodeInvitePayload,
  InvalidInviteError,
  INVITE_RELAY_LIMITS,
  inviteLink,
  type InvitePayload,
  isInviteRelayUrl,
  payloadOfLink,
} from './group/invite-link'
export { inviteRelaysOf, relaysOfMembers } from './group/member-relays'
export { type HistoryMessage, listMessages, olderBucketIds } from './group/history'
export { type ReadMark, ReadState } from './group/read-state'
export {
  isPinned,
  MAX_PINS_PER_PANEL,
  pinMessage,
  type PinnedMessage,
  pinsOf,
  unpinMessage,
} from './group/pins'
export {
  actOnCard,
  type CardAction,
  cardActionProblem,
  cardActionsOf,
  cardActionsOnCardsBy,
  cardActionsWrittenBy,
  type CardPatch,
  cardRecordOf,
  closeCard,
  closedAtMs,
  postCard,
  type PostCardOptions,
  updateCard,
  withdrawCardAction,
} from './group/cards'
export { type ActionRecord, actionKey, cardKey, type CardRecord, parseActionKey } from './group/card-record'
export { buttonIds, CARD_LIMITS, type CardControl, type MessageCard } from './group/message-card'
export { hasUnread, inbox, type InboxItem, markPanelRead, unreadInboxCount } from './group/inbox'
export {
  createDirectMessage,
  directMessageName,
  directMessagePanel,
  isDirectMessage,
} from './group/direct-message'
export { PLUGIN_LIMITS, pluginDocId, PluginRoot, textRoot } from './group/plugin-docs'
export { openPluginState, type PluginState } from './group/plugin-state'

// A person's own devices: read marks and saved messages shared on their self topic.
export { SavedMessages, type SavedEntry, type SavedRef } from './self/saved-messages'
export { SelfChannel } from './self/self-channel'
export { selfSecretOf } from './self/self-topic'

// Gate: what decides whether an envelope is applied.
export { type Verdict } from './gate/verdict'
export { Gate } from './gate/gate'

// Storage: the adapter interface, the in-memory adapter (LevelDB, IndexedDB: subpath exports).
export { type DocumentStore, type StorageAdapter, type StoredEnvelope } from './storage/storage'
export { MemoryStorage } from './storage/memory'

// Sync: a device's replica of its groups, a group's session on it, pairing a new device.
// One export per module: the Replica and GroupSession APIs are changing.
export {
  Replica,
  type DeliveryResult,
  type LinkMode,
  type ReplicaEvents,
  type ReplicaOptions,
  type ReplicaStatus,
  type TransportStatus,
} from './sync/replica'
export { GroupSession, type EnvelopeSender, type TransactOptions } from './group/session'
export { encodeSyncFrame } from './sync/frames'
export { knownGroups, rememberGroup, rememberLaterKeys } from './sync/known-groups'
export { acceptPairing, type PairingCandidate, requestPairing } from './sync/pairing'

// Transports: the Transport/Link seam and the browser's transports (libp2p: subpath export).
export { type Link, type LinkHandlers, type TopicAccess, type Transport } from './sync/transport'
export { type TransportMode } from './sync/transport-mode'
export { MailboxRequestError } from './sync/transports/errors'
export { type WebSocketConstructor } from './sync/transports/socket'
export { MailboxTransport } from './sync/transports/mailbox'
export { BroadcastChannelTransport } from './sync/transports/broadcast-channel'
export { WebrtcTransport } from './sync/transports/webrtc'

// Blobs: attachments and their transfer by hash.
export { BLOB_LIMITS } from './blobs/limits'
export { blobHash } from './blobs/blob-hash'
export { type Attachment, isInlineImage } from './blobs/attachment'
export { BlobTransfer } from './blobs/transfer'

// Presence: who is online, signed per session.
export { decodePresence, MAX_PLUGIN_PRESENCE_DATA, type PresenceSigner } from './sync/presence-wire'
export { type MemberPresence, Presence } from './sync/presence'
export { type ReplicaPresence, startPresence } from './sync/presence-replica'

// Calls: signed call statements over the group's sealed channel, who may call, the room directory.
export { type CallMedia, type CallSigner, decodeCallStatement } from './calls/call-wire'
export { type CallRights, callRights } from './calls/call-rights'
export { type CallRefusal, type JudgedCall } from './calls/call-judge'
export {
  type CallCaps,
  type CallParticipant,
  type CallRoomRef,
  type RingNotice,
  CallFullError,
  CallHub,
  DEFAULT_CALL_CAPS,
  roomKey,
} from './calls/call-hub'
export { type ReplicaCalls, startCalls } from './calls/call-replica'

// Friends: friend codes, the friend book and its channel.
export { decodeFriendCard, friendCodeOf, friendLink } from './friends/friend-card'
export { friendTopic } from './friends/friend-topic'
export {
  type Friend,
  type IncomingRequest,
  type OutgoingRequest,
  type PendingInvite,
} from './friends/friend-book'
export { FriendChannel, type FriendsView } from './friends/friend-channel'

// Log: the logger seam (silent unless a sink is given).
export {
  type ComponentLogger,
  errorFields,
  type LogFields,
  type Logger,
  type LogLevel,
  type LogRecord,
  noLogger,
  sinkLogger,
  structuredLogger,
  type StructuredLogger,
} from './log/logger'

// A transport carries sealed frames (opaque ciphertext) on a group's topic between this device and
// others. It knows nothing of groups, authors or the gate: the replica seals what it sends and opens,
// verifies and judges what arrives, so every transport is equally untrusted and interchangeable.

import type { Topic } from '../keys/topic'

/** What a transport needs to know about the topic it carries. */
export interface TopicAccess {
  /** The topic (hex id + the topic's signing key pair, both derived from the group key). */
  topic: Topic
  /**
   * A secret only members hold, for transports that encrypt their own side channels (WebRTC
   * signaling). Derived from the group key; never the group key itself.
   */
  secret: Uint8Array
}

export interface LinkHandlers {
  /**
   * A frame arrived. `from` names the sending peer on peer-to-peer transports (for a direct answer
   * with `sendTo`), null on store-and-forward ones. `cursor` is set by durable transports (the
   * mailbox): persist it to resume after it.
   */
  frame(sealed: Uint8Array, from: string | null, cursor?: number): void
  /** A peer became reachable (peer-to-peer transports): the replica offers it what it holds. */
  peerJoined?(peer: string): void
  peerLeft?(peer: string): void
  /** Connected or not, for the UI's status and for "pending" messages. */
  status?(online: boolean): void
  /**
   * Transports that forward frames between other peers (gossipsub) ask before forwarding: 'reject'
   * (the gate refused it for good) is neither delivered nor passed on.
   */
  validate?(sealed: Uint8Array): Promise<'accept' | 'reject' | 'ignore'>
}

/** One topic on one transport. */
export interface Link {
  /** Sends to everyone on the topic. Resolves when handed over (the mailbox: durably stored). */
  broadcast(sealed: Uint8Array): Promise<void>
  /** Sends to one peer (peer-to-peer transports only). */
  sendTo?(peer: string, sealed: Uint8Array): void
  /**
   * Sends to whoever is live on the topic now and keeps nothing: no store, no retry, no forwarding
   * log (presence). Transports that can only store (the mailbox) leave it out.
   */
  ephemeral?(sealed: Uint8Array): void
  /** Peers currently reachable on this link. */
  peers(): string[]
  online(): boolean
  close(): Promise<void>
}

export interface Transport {
  /**
   * Names this transport among a replica's: the key its mailbox cursors are kept under, and what
   * status displays and logs call it. Two transports of one kind (two relays' mailboxes) have two ids.
   */
  readonly id: string
  /** 'webrtc' | 'mailbox' | 'broadcastchannel' | 'libp2p' */
  readonly kind: string
  /**
   * A broadcast resolves only once the frame is stored for members who are away (the mailbox): its
   * acknowledgement delivers an envelope whether or not anyone is connected.
   */
  readonly durable: boolean
  /**
   * Reaches only this same person (tabs of one browser): a frame handed over here is not delivered to
   * anyone else.
   */
  readonly sameUser: boolean
  /**
   * The relay this transport reaches, as member records name it (MemberRecord.relays): set on a
   * relay's mailbox, so that the replica can hand on to it what members who do not use it send
   * (the relay bridge).
   */
  readonly relay?: string
  /** Starts carrying `access.topic`; `resumeAfter` is the last durable cursor already processed. */
  open(access: TopicAccess, handlers: LinkHandlers, resumeAfter?: number): Promise<Link>
  /** Closes every link and connection. */
  close(): Promise<void>
}

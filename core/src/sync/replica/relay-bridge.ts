// Relays members do not share. A member's app posts only to the relays it uses, so members who share
// no relay (one whose app knows only relay C, everyone else on A) would hear each other only while a
// member on both happened to be connected to both, and someone joining through C with that member
// away would find only what that member had handed over when it added C. So a replica hands each
// envelope from someone else on to those of its relays the author does not use — one member per relay
// (relayKeepers: outwards from the author's recorded relays, the lowest id among members on both a
// relay already holding it and this one), never back to the link it came on. A keeper who was away
// does it when it catches up.
import { encodeEnvelope, type Envelope } from '../../envelope/envelope'
import type { AuthorityState } from '../../group/authority-state'
import { relayKeepers } from '../../group/member-relays'
import type { UserId } from '../../identity/user-id'
import type { Logger } from '../../log/logger'
import { errorFields } from '../../log/logger'
import { encodeSyncFrame } from '../frames'
import type { Link } from '../transport'

/** A mailbox link on the current key's topic, and the relay it reaches as member records name it. */
export interface RelayLink {
  link: Link
  relay: string
}

export interface RelayBridgeDeps {
  /** Whose app this is (nobody: a replica following a group it is not in hands nothing on). */
  me(): UserId | undefined
  authority(): AuthorityState
  /** This member's relay mailboxes on the current key's topic. */
  mailboxes(): RelayLink[]
  /** The relay a link reaches, if it is a relay's mailbox. */
  relayOf(link: Link): string | undefined
  seal(bytes: Uint8Array): Promise<Uint8Array>
  log: Logger
}

export class RelayBridge {
  /** relayKeepers, kept while the authority state stays the same object (a catch-up of thousands). */
  private keepers: { state: AuthorityState | null; of: Map<string, Map<string, string>> } = {
    state: null,
    of: new Map(),
  }

  constructor(private readonly deps: RelayBridgeDeps) {}

  /** Hands `envelope`, accepted from someone else, on to the relays this member keeps for its author. */
  handOn(envelope: Envelope, arrivedOn: Link | null): void {
    const me = this.deps.me()
    if (!me || envelope.author === me) return
    const mine = this.deps.mailboxes()
    if (!mine.length) return
    const came = arrivedOn ? this.deps.relayOf(arrivedOn) : undefined
    const state = this.deps.authority()
    // An author with no relays on record (an older client's join) whose envelope came peer to peer:
    // where it is cannot be told, so this member posts it to its relays (only its direct peers are in
    // this case; who got it through a relay works out one keeper per relay from there).
    const unknown = !state.members.get(envelope.author)?.relays?.length && came === undefined
    const keepers = unknown ? null : this.keepersOf(state, envelope.author, came)
    const targets = mine.filter(
      (l) => l.link !== arrivedOn && (keepers === null || keepers.get(l.relay) === me),
    )
    if (!targets.length) return
    void this.deps
      .seal(encodeSyncFrame({ type: 'envelope', bytes: encodeEnvelope(envelope) }))
      .then((sealed) => {
        for (const { link, relay } of targets)
          link
            .broadcast(sealed)
            .catch((e: unknown) => this.deps.log.debug('not handed on', { relay, ...errorFields(e) }))
      })
  }

  private keepersOf(state: AuthorityState, author: string, came: string | undefined): Map<string, string> {
    if (this.keepers.state !== state) this.keepers = { state, of: new Map() }
    const key = `${author} ${came ?? ''}`
    let found = this.keepers.of.get(key)
    if (found === undefined) {
      found = relayKeepers(state, author, came === undefined ? [] : [came])
      this.keepers.of.set(key, found)
    }
    return found
  }
}

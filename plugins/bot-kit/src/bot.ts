// A bot: a headless Tailmesh peer with an identity of its own (made once, kept in its data directory)
// that joins groups by the invite links people make, like a person. Each group it is in is core's
// Replica over the relay's mailbox (plus any transports the caller adds), on LevelDB: messages it
// posts are core operations, so every member's gate judges them as it judges anyone's.
import { mkdirSync } from 'node:fs'
import { join as joinPath } from 'node:path'
import type { Logger as PinoLogger } from 'pino'
import { WebSocket } from 'ws'
import {
  cardActionsOf,
  cardActionsOnCardsBy,
  closeCard,
  openPluginState,
  postCard,
  updateCard,
  GroupKey,
  MailboxTransport,
  Replica,
  decodeInvitePayload,
  errorFields,
  envelopeId,
  inviteIdOf,
  inviteKeyPair,
  isMember,
  knownGroups,
  listMessages,
  openGroup,
  payloadOfLink,
  rememberGroup,
  noLogger,
  resolvePermissions,
  structuredLogger,
  type Attachment,
  type CardAction,
  type CardPatch,
  type CardRecord,
  type MessageCard,
  type PanelRecord,
  type PanelType,
  type PermissionOverride,
  type Point,
  type Envelope,
  type Gate,
  type ComponentLogger,
  type HistoryMessage,
  type Identity,
  type OpenGroup,
  type SendOptions,
  type SignedProfile,
  type Transport,
  type UserId,
} from '@tailmesh/core'
import { LevelStorage } from '@tailmesh/core/storage/level'
import { botProfile, loadOrCreateIdentity } from './bot-identity'
import { messagesCreatedBy, nicknameOf, type BotCardAction, type BotMessage } from './incoming'
import { relayEndpoints } from './relay-endpoints'
import { BotTimeoutError, until } from './until'
import { BotValues } from './values'

export interface BotOptions {
  /** Where the bot keeps its identity, its groups and its own values (created if missing). */
  dataDir: string
  /** The relay's address, as people open the app: `http(s)://host:port`. */
  relay: string
  /** The nickname members see (1–32 characters). */
  name: string
  /** More transports for every group, besides the relay's mailbox (e.g. a libp2p transport). */
  transports?: () => Transport[]
  /** How long `join` waits for the group and its invite to arrive from members (default 60 s). */
  joinTimeoutMs?: number
  /** The mailbox socket's reconnect backoff (default core's). */
  backoff?: { minMs: number; maxMs: number }
  /**
   * Where core says what failed quietly (the relay away, a frame that does not decode), at debug: a
   * child per component (`{ component: 'transport:mailbox' }`). Default none.
   */
  log?: PinoLogger
}

export interface BotPanel {
  id: string
  name: string
}

export interface BotGroup {
  groupId: string
  /** Known once the group document has arrived. */
  name: string | undefined
  /** Text panels, in the group's order. */
  panels: BotPanel[]
  /** The group's roles (ids for a card's `who`, names as members see them). */
  roles: { id: string; name: string }[]
}

/** A bot's card: controls (buttons, a select, a short text) and a status line, drawn by the app. */
export interface BotCard {
  controls?: MessageCard['controls']
  status?: string
  /** For a plugin that draws the card itself; bots leave these out. */
  pluginId?: string
  type?: string
  data?: Record<string, unknown>
}

/** The plugin id and type of cards the app draws from their controls alone (bots' cards). */
export const BOT_CARD_PLUGIN = 'com.tailmesh.card'
export const BOT_CARD_TYPE = 'actions'
const NOTES_PLUGIN = 'com.tailmesh.notes'
const NOTES_TEXT = 'body'

export class BotStoppedError extends Error {
  override name = 'BotStoppedError'
}

interface Joined {
  key: GroupKey
  group: OpenGroup
  replica: Replica
  /** While a `send` runs: the ids of the envelopes it produced. */
  capture: string[] | null
  /** Sends run one after another per group (each waits for its own delivery). */
  queue: Promise<unknown>
  offAccepted: () => void
}

export class Bot {
  private readonly joined = new Map<string, Joined>()
  private readonly handlers = new Set<(message: BotMessage) => void | Promise<void>>()
  private readonly actionHandlers = new Set<(action: BotCardAction) => void | Promise<void>>()
  private readonly mailbox: MailboxTransport
  private stopped = false
  private readonly stopSignal: Promise<never>
  private signalStop: (e: Error) => void = () => {}
  private readonly logger: ComponentLogger

  private constructor(
    private readonly options: BotOptions,
    private readonly storage: LevelStorage,
    private readonly identity: Identity,
    private readonly profile: SignedProfile,
  ) {
    const { base, mailbox } = relayEndpoints(options.relay)
    this.logger = options.log ? structuredLogger(options.log) : noLogger
    this.mailbox = new MailboxTransport({
      url: mailbox,
      relay: base,
      WebSocket,
      ...(options.backoff ? { backoff: options.backoff } : {}),
      logger: this.logger,
    })
    this.stopSignal = new Promise<never>((_, reject) => (this.signalStop = reject))
    // Nobody may be waiting on it: an unobserved rejection must not end the process.
    this.stopSignal.catch(() => undefined)
  }

  /** Opens (or creates) the bot in `dataDir` and reopens every group it is in. */
  static async start(options: BotOptions): Promise<Bot> {
    relayEndpoints(options.relay) // a bad address fails here, before anything is created
    mkdirSync(options.dataDir, { recursive: true })
    const storage = await LevelStorage.open({ path: joinPath(options.dataDir, 'store') })
    try {
      const identity = await loadOrCreateIdentity(storage)
      const bot = new Bot(options, storage, identity, await botProfile(identity, options.name))
      for (const { groupId, key } of await knownGroups(storage)) await bot.open(groupId, key)
      return bot
    } catch (e) {
      await storage.close()
      throw e
    }
  }

  get userId(): UserId {
    return this.identity.userId
  }

  get name(): string {
    return this.options.name
  }

  /** The groups this bot is in (or joining). */
  groups(): BotGroup[] {
    return [...this.joined.keys()].map((id) => this.group(id)!)
  }

  group(groupId: string): BotGroup | undefined {
    const g = this.joined.get(groupId)
    if (!g) return undefined
    const state = g.group.gate.authority()
    const panels = [...state.panels]
      .filter(([, p]) => p.type === 'text')
      .sort(([a, x], [b, y]) => x.order - y.order || (a < b ? -1 : 1))
      .map(([id, p]) => ({ id, name: p.name }))
    const roles = [...state.roles].map(([id, r]) => ({ id, name: r.name }))
    return { groupId, name: state.info?.name, panels, roles }
  }

  /**
   * Joins the group of an invite link (exactly as people share them: `https://host/#/join/<payload>`,
   * or the payload alone). Waits until a member's copy of the group and its invite arrive through
   * the relay, then joins as this bot and waits until the join is delivered. Joining a group the bot
   * is already in is a no-op.
   */
  async join(link: string): Promise<BotGroup> {
    this.alive()
    const invite = decodeInvitePayload(payloadOfLink(link) ?? link.trim())
    const known = this.joined.has(invite.groupId)
    const g =
      this.joined.get(invite.groupId) ??
      (await this.open(invite.groupId, await GroupKey.fromBytes(invite.groupKey)))
    const gate = g.group.gate
    if (isMember(gate.authority(), this.userId)) return this.group(invite.groupId)!
    const inviteId = inviteIdOf((await inviteKeyPair(invite.secret)).publicKey)
    try {
      await this.orStop(
        until(
          'the group and its invite arrived from a member',
          () => gate.authority().invites.has(inviteId),
          {
            gate,
            timeoutMs: this.options.joinTimeoutMs ?? 60_000,
          },
        ),
      )
      // Its relay in its member record: members on other relays get what it posts handed on to them.
      const { base } = relayEndpoints(this.options.relay)
      await this.sendOn(g, () => g.group.actions.join(invite.secret, this.profile, [base]))
    } catch (e) {
      // A group this bot never got into is not kept (nor reopened on the next start).
      if (!known && !(e instanceof BotStoppedError)) await this.forget(invite.groupId)
      throw e
    }
    return this.group(invite.groupId)!
  }

  /**
   * Posts `text` (markdown) in a text panel. Resolves with the message id once the relay's mailbox
   * (or a connected peer) has it; while the relay is unreachable it waits (the message is kept and
   * sent again after a restart). Throws core's errors when the bot may not post there.
   */
  send(groupId: string, panelId: string, text: string, options: SendOptions = {}): Promise<string> {
    const g = this.requireGroup(groupId)
    return this.sendOn(g, async () => (await g.group.actions.send(panelId, text, options)).id)
  }

  /**
   * Publishes a file in a group (through the relay's mailbox up to BLOB_LIMITS.mailboxBytes, so
   * members who are offline get it too) and returns the attachment to pass in `send`'s
   * `attachments`. Throws core's BlobTooLargeError above BLOB_LIMITS.maxBytes.
   */
  async attach(
    groupId: string,
    bytes: Uint8Array,
    file: { name: string; mime: string },
  ): Promise<Attachment> {
    const published = await this.requireGroup(groupId).replica.blobs.publish(bytes)
    return { hash: published.hash, name: file.name, mime: file.mime, size: published.size }
  }

  /**
   * A text panel's id from what a bot's options name (`wanted`: an id or a name); without one, the
   * panel named `preferred`, else the group's first text panel. Throws while there is none (a group
   * whose document has not arrived yet, a panel removed).
   */
  textPanel(groupId: string, wanted?: string, preferred?: string): string {
    const group = this.group(groupId)
    if (!group) throw new Error(`This bot is not in group ${groupId}.`)
    const { panels } = group
    const panel = wanted
      ? (panels.find((p) => p.id === wanted) ?? panels.find((p) => p.name === wanted))
      : ((preferred ? panels.find((p) => p.name === preferred) : undefined) ?? panels[0])
    if (!panel)
      throw new Error(wanted ? `No text panel "${wanted}" in this group (yet).` : 'No text panel here (yet).')
    return panel.id
  }

  /** Whether this bot may post in a panel now (a member, not muted, the panel not read-only for it). */
  canPost(groupId: string, panelId: string): boolean {
    const state = this.requireGroup(groupId).group.gate.authority()
    return (
      state.panels.get(panelId)?.type === 'text' &&
      resolvePermissions(state, this.userId, panelId, Date.now()).has('message')
    )
  }

  /** Whether this bot holds a permission point now (in a panel, or group-wide), e.g. managePanel. */
  can(groupId: string, point: Point, panelId?: string): boolean {
    const state = this.requireGroup(groupId).group.gate.authority()
    return resolvePermissions(state, this.userId, panelId, Date.now()).has(point)
  }

  /** Messages by others as they arrive (not the history from before the bot joined, nor its own). */
  onMessage(handler: (message: BotMessage) => void | Promise<void>): () => void {
    this.handlers.add(handler)
    return () => this.handlers.delete(handler)
  }

  /**
   * Posts a card with buttons and inputs (`controls`) under a markdown body, and records who may press
   * them (`who`: default everyone who sees the panel; else listed role ids and user ids). Presses reach
   * `onCardAction`. Resolves with the card's id (its message id) once both envelopes are delivered.
   */
  postCard(
    groupId: string,
    panelId: string,
    markdown: string,
    card: BotCard,
    options: { who?: CardRecord['who'] } & SendOptions = {},
  ): Promise<string> {
    const g = this.requireGroup(groupId)
    const full: MessageCard = {
      pluginId: card.pluginId ?? BOT_CARD_PLUGIN,
      type: card.type ?? BOT_CARD_TYPE,
      data: card.data ?? {},
      ...(card.controls ? { controls: card.controls } : {}),
      ...(card.status !== undefined ? { status: card.status } : {}),
    }
    return this.sendOn(g, async () => (await postCard(g.group.actions, panelId, markdown, full, options)).id)
  }

  /**
   * Presses of the buttons of this bot's cards, as every member's gate accepted them (so the presser
   * was allowed to, and the card was open at that time). Answer with `updateCard`, `send`, `closeCard`.
   */
  onCardAction(handler: (action: BotCardAction) => void | Promise<void>): () => void {
    this.actionHandlers.add(handler)
    return () => this.actionHandlers.delete(handler)
  }

  /**
   * The presses on one of this bot's cards as it holds them now (oldest first, one per member and
   * button): what a bot that restarted reads to answer presses that arrived while it was stopped or
   * before it could answer them.
   */
  cardActions(groupId: string, panelId: string, cardId: string): BotCardAction[] {
    const g = this.requireGroup(groupId)
    const gate = g.group.gate
    const docId = g.group.actions.docOf(panelId, cardId)
    return cardActionsOf(gate, panelId, cardId, docId).map((a) => this.cardAction(gate, a))
  }

  /** Changes one of this bot's cards: its body, data, controls or status line. */
  updateCard(groupId: string, panelId: string, cardId: string, patch: CardPatch): Promise<void> {
    const g = this.requireGroup(groupId)
    return this.sendOn(g, () => updateCard(g.group.actions, panelId, cardId, patch))
  }

  /** Closes one of this bot's cards: every member's gate refuses presses dated after it. */
  closeCard(groupId: string, panelId: string, cardId: string): Promise<void> {
    const g = this.requireGroup(groupId)
    return this.sendOn(g, () => closeCard(g.group.actions, panelId, cardId))
  }

  /**
   * Creates a panel (needs the managePanel point, as for a person): a text panel by default, a
   * category, a voice room, a web page (`meta: { url }`), or a plugin's panel
   * (`type: 'plugin', meta: { pluginId, panelType }`). Resolves with its id once delivered.
   */
  createPanel(
    groupId: string,
    panel: {
      name: string
      type?: PanelType
      parentId?: string
      meta?: PanelRecord['meta']
      overrides?: PanelRecord['overrides']
    },
  ): Promise<string> {
    const g = this.requireGroup(groupId)
    return this.sendOn(g, () => g.group.actions.createPanel(panel))
  }

  /** Changes a panel (managePanel): its name, meta, overrides. */
  updatePanel(groupId: string, panelId: string, patch: Partial<PanelRecord>): Promise<void> {
    const g = this.requireGroup(groupId)
    return this.sendOn(g, () => g.group.actions.updatePanel(panelId, patch))
  }

  /** Points a web panel at `url` (http/https). */
  setPanelUrl(groupId: string, panelId: string, url: string): Promise<void> {
    if (!/^https?:\/\//i.test(url)) throw new Error('A web panel shows an http(s) address.')
    const meta = this.requireGroup(groupId).group.gate.authority().panels.get(panelId)?.meta ?? {}
    return this.updatePanel(groupId, panelId, { meta: { ...meta, url } })
  }

  /**
   * Replaces the markdown of a notes panel (the notes plugin's text, which members edit together):
   * needs the right to post in that panel, as for a person.
   */
  async setPanelMarkdown(groupId: string, panelId: string, markdown: string): Promise<void> {
    const g = this.requireGroup(groupId)
    const state = await openPluginState(g.group.session, NOTES_PLUGIN, panelId)
    await this.sendOn(g, () =>
      state.change(() => {
        const text = state.text(NOTES_TEXT)
        text.delete(0, text.length)
        text.insert(0, markdown)
      }),
    )
  }

  /**
   * Adds a permission override to a panel for a role (`{ role }`) or a member (`{ member }`):
   * points it grants (`allow`) and takes away (`deny`). Needs managePanel.
   */
  addToPanel(
    groupId: string,
    panelId: string,
    to: { role: string } | { member: UserId },
    override: PermissionOverride,
  ): Promise<void> {
    const panel = this.requireGroup(groupId).group.gate.authority().panels.get(panelId)
    if (!panel) throw new Error(`No panel ${panelId} in group ${groupId}.`)
    const overrides = { roles: { ...panel.overrides?.roles }, members: { ...panel.overrides?.members } }
    if ('role' in to) overrides.roles[to.role] = override
    else overrides.members[to.member] = override
    return this.updatePanel(groupId, panelId, { overrides })
  }

  /** The recent history of a panel as this bot holds it (the last `buckets` weeks, default 1). */
  history(groupId: string, panelId: string, buckets = 1): readonly HistoryMessage[] {
    return listMessages(this.requireGroup(groupId).group.gate, panelId, { buckets }).messages
  }

  /** Small values of the bot's own (a plugin's state), kept in its store: durable once `set` resolves. */
  values(scope: string): BotValues {
    return new BotValues(this.storage, scope)
  }

  /** Closes every group and the store. Sends still waiting for delivery reject with BotStoppedError. */
  async stop(): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    this.signalStop(new BotStoppedError('The bot was stopped.'))
    for (const g of this.joined.values()) {
      g.offAccepted()
      await g.replica.close()
    }
    this.joined.clear()
    await this.mailbox.close()
    await this.storage.close()
  }

  // --- groups ---------------------------------------------------------------------------------

  private async open(groupId: string, key: GroupKey): Promise<Joined> {
    await rememberGroup(this.storage, groupId, key)
    const group = await openGroup(this.identity, groupId)
    const extra = this.options.transports?.() ?? []
    const replica = await Replica.start({
      gate: group.gate,
      session: group.session,
      key,
      storage: this.storage,
      transports: [this.mailbox, ...extra],
      logger: this.logger,
    })
    const g: Joined = {
      key,
      group,
      replica,
      capture: null,
      queue: Promise.resolve(),
      offAccepted: () => {},
    }
    // Each send waits for the delivery of the envelopes it produced (the replica queues them as signed).
    replica.on('queued', (id) => g.capture?.push(id))
    // Subscribed after the replica restored what is on disk: only what arrives from now on.
    g.offAccepted = group.gate.on('accepted', (e) => this.received(g, e))
    this.joined.set(groupId, g)
    this.keepProfileCurrent(g)
    return g
  }

  /** A bot restarted under another name tells its groups (in the background: the relay may be down). */
  private keepProfileCurrent(g: Joined): void {
    const state = g.group.gate.authority()
    if (!isMember(state, this.userId)) return
    if (nicknameIn(state.members.get(this.userId)?.profile) === this.options.name) return
    this.sendOn(g, () => g.group.actions.updateProfile(this.profile)).catch((e: unknown) =>
      this.logger
        .forComponent('bot')
        .debug('new nickname not sent', { groupId: g.group.gate.groupId, ...errorFields(e) }),
    )
  }

  private async forget(groupId: string): Promise<void> {
    const g = this.joined.get(groupId)
    if (!g) return
    this.joined.delete(groupId)
    g.offAccepted()
    await g.replica.close()
    await this.storage.dropGroup(groupId)
  }

  /** Runs one core operation and waits until the envelopes it produced are delivered. */
  private sendOn<T>(g: Joined, operation: () => Promise<T>): Promise<T> {
    this.alive()
    const run = async () => {
      g.capture = []
      let result: T
      let produced: string[]
      try {
        result = await operation()
      } finally {
        produced = g.capture
        g.capture = null
      }
      await this.orStop(Promise.all(produced.map((id) => g.replica.whenDelivered(id))))
      return result
    }
    const next = g.queue.then(run, run)
    // Only keeps the queue going: the caller gets `next`, failure included.
    g.queue = next.catch(() => undefined)
    return next
  }

  private received(g: Joined, envelope: Envelope): void {
    if (envelope.author === this.userId) return
    if (this.actionHandlers.size > 0) this.pressed(g, envelope)
    if (this.handlers.size === 0) return
    const me = g.group.gate.authority().members.get(this.userId)
    // History from before the bot joined is not addressed to it.
    if (!me) return
    for (const message of messagesCreatedBy(g.group.gate, envelope)) {
      if (message.hlc < me.joinedAt) continue
      for (const handler of this.handlers) {
        try {
          void Promise.resolve(handler(message)).catch((e: unknown) => this.handlerFailed(e, envelope))
        } catch (e) {
          this.handlerFailed(e, envelope)
        }
      }
    }
  }

  private pressed(g: Joined, envelope: Envelope): void {
    const gate = g.group.gate
    // Only presses on this bot's own cards are its to answer.
    for (const a of cardActionsOnCardsBy(gate, envelope, this.userId)) {
      const action = this.cardAction(gate, a)
      for (const handler of this.actionHandlers) {
        try {
          void Promise.resolve(handler(action)).catch((e: unknown) => this.handlerFailed(e, envelope))
        } catch (e) {
          this.handlerFailed(e, envelope)
        }
      }
    }
  }

  private cardAction(gate: Gate, a: CardAction): BotCardAction {
    return {
      groupId: gate.groupId,
      panelId: a.panelId,
      cardId: a.cardId,
      actionId: a.actionId,
      values: a.values,
      author: a.userId,
      authorName: nicknameOf(gate, a.userId),
      at: a.at,
    }
  }

  private handlerFailed(e: unknown, envelope: Envelope): void {
    // A handler's failure is its own: the bot goes on. Only the error and the envelope id are logged.
    console.error(`tailmesh bot: a message handler failed on envelope ${envelopeId(envelope)}:`, e)
  }

  private requireGroup(groupId: string): Joined {
    this.alive()
    const g = this.joined.get(groupId)
    if (!g) throw new Error(`This bot is not in group ${groupId}: join it with an invite link first.`)
    return g
  }

  private alive(): void {
    if (this.stopped) throw new BotStoppedError('The bot was stopped.')
  }

  private orStop<T>(work: Promise<T>): Promise<T> {
    return Promise.race([work, this.stopSignal])
  }
}

export { BotTimeoutError }

function nicknameIn(profile: unknown): string | undefined {
  const nickname = (profile as { profile?: { nickname?: unknown } } | undefined)?.profile?.nickname
  return typeof nickname === 'string' ? nickname : undefined
}

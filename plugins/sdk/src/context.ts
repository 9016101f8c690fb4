// What the host hands a plugin's UI when it mounts it. Everything is plain data and functions: no
// Vue, no Pinia, no core objects a plugin could use to bypass the gate. Writes go through `send`
// (a message the member signs like any other) or `state.change` (a signed plugin-state edit).

import type { PluginState } from './state'

export type Locale = 'en' | 'zh-CN'

/** A text in every language the app speaks; `en` is required and the fallback. */
export interface LocaleStrings {
  en: string
  'zh-CN'?: string
}

/** Undoes a registration or a mount. */
export type Dispose = () => void

/**
 * Framework-free UI: draw into `el` (any framework or none) and return how to take it down. The host
 * empties `el` after unmounting, and catches what a mount throws (the plugin is reported, the app
 * goes on).
 */
export type Mount<C> = (el: HTMLElement, ctx: C) => Dispose | void | Promise<Dispose | void>

export interface Me {
  userId: string
  nickname: string
}

/** Every context: who I am and how to speak my language. */
export interface HostContext {
  me: Me
  locale: Locale
  /** Picks the string for the current locale (falls back to `en`). */
  t(strings: LocaleStrings): string
}

export interface GroupContext extends HostContext {
  groupId: string
  groupName: string
  /** Whether I hold a permission point in this group now (built-in or `plugin.<id>.<name>`). */
  can(point: string, panelId?: string): boolean
  /** A member's nickname in this group (their id's start if unknown). */
  nameOf(userId: string): string
}

/** A button or input the app draws under a card (each named by its label). */
export type CardControl =
  | { kind: 'button'; id: string; label: string; style?: 'primary' | 'danger' }
  | { kind: 'select'; id: string; label: string; options: { value: string; label: string }[] }
  | { kind: 'text'; id: string; label: string; placeholder?: string }

/** A message card: drawn by the plugin that registered `type` (registerCard). */
export interface MessageCard {
  pluginId: string
  type: string
  /** JSON; core caps its size. */
  data: Record<string, unknown>
  /** Buttons and inputs the app draws under it; pressing a button is a card action. */
  controls?: CardControl[]
  /** A line its author set when updating it ("Approved by Alice · 10:02"). */
  status?: string
}

/** Who may act on a card: role ids and user ids (absent: everyone who sees the panel). */
export interface CardWho {
  roles?: string[]
  members?: string[]
}

export interface SendExtras {
  /**
   * Attach a card of this plugin (its pluginId is filled in by the host). With `controls` or `actions`
   * it takes card actions: the ids of its buttons and `actions` (ids the plugin's own drawing sends,
   * e.g. a poll's `vote`) are what members may send, `who` who may send them; every peer's gate
   * enforces both, and the card's closing.
   */
  card?: {
    type: string
    data: Record<string, unknown>
    controls?: CardControl[]
    actions?: string[]
    who?: CardWho
  }
  replyTo?: string
}

/** What a card's author may change on it; what is left out stays. */
export interface CardPatch {
  /** A new message body (markdown), for members without the card's plugin. */
  body?: string
  data?: Record<string, unknown>
  /** New controls (an empty list takes the buttons away). */
  controls?: CardControl[]
  /** A line under the card ("Approved by Alice · 10:02"). */
  status?: string
}

/**
 * A press on one of this plugin's cards that I sent, as my device's gate accepted it
 * (`api.onCardAction`): delivered whether or not the card is on screen.
 */
export interface CardActionEvent {
  groupId: string
  groupName: string
  panelId: string
  /** The card's message id. */
  cardId: string
  /** The card as it is now. */
  card: MessageCard
  actionId: string
  /** Who pressed it (every gate checked the card's `who`); may be me. */
  userId: string
  userName: string
  /** The inputs' values, or the plugin's own names, sent with it. */
  values: Record<string, string>
  /** When it was sent (HLC: orders actions, not a wall clock). */
  at: number
  /** Sends a message in the card's panel as me, as a reply to the card. */
  reply(text: string, extras?: Omit<SendExtras, 'replyTo'>): Promise<void>
  /** Changes the card (I am its author). */
  update(patch: CardPatch): Promise<void>
  /** Closes the card: every gate refuses actions dated after this. */
  close(): Promise<void>
}

/** One member's card action (their latest of that id): pressing again replaces it. */
export interface CardActionEntry {
  actionId: string
  userId: string
  /** Values sent with it (control id or the plugin's own names -> text). */
  values: Record<string, string>
  /** When it was sent (HLC: orders actions, not a wall clock). */
  at: number
}

/**
 * What others in the panel see of me while it is open, and what I see of them: ephemeral JSON (a
 * cursor, a selection), signed and sent to live peers with the member's presence, never stored and
 * never judged by the gate. At most 512 characters of JSON; sent at most 20 times a second (the
 * latest wins). Cleared when the panel unmounts.
 */
export interface PanelPresence {
  /** Shows `data` to the others in this panel (null: nothing). Throws if it is too large. */
  set(data: unknown): void
  /** What each other member shows here now, by user id (members who left or went quiet drop out). */
  others(): Map<string, unknown>
  /** Called when what others show here changes. */
  onChange(listener: () => void): Dispose
}

export interface PanelContext extends GroupContext {
  panelId: string
  panelName: string
  /** The panel record's meta (for a plugin panel: pluginId, panelType and its config fields). */
  meta: Readonly<Record<string, string | number | boolean>>
  /** Sends a message in this panel as me (only text panels carry messages; elsewhere it throws). */
  send(text: string, extras?: SendExtras): Promise<void>
  /** This plugin's state for this panel (`x/<pluginId>/<panelId>`). */
  state: PluginState
  /** This plugin's state for the whole group (`x/<pluginId>/group`). */
  groupState(): Promise<PluginState>
  /** This plugin's group config item `key` (registerGroupConfigItem): the group's value, else its default. */
  groupConfig(key: string): boolean | string | number | undefined
  /** Live presence in this panel (cursors and the like). */
  presence: PanelPresence
}

/** A message as a renderer sees it. */
export interface MessageView {
  id: string
  author: string
  authorName: string
  wallMs: number
  body: string
  card?: MessageCard
  /**
   * A forwarded copy: who wrote the original and where. Its card takes no actions here (they belong
   * to the original's record): draw it read-only.
   */
  forwarded?: { name: string; where: string }
}

export interface MessageContext extends GroupContext {
  panelId: string
  message: MessageView
  /** Sends a message in the message's panel (a card button's click, say). */
  send(text: string, extras?: SendExtras): Promise<void>
}

export interface CardContext extends MessageContext {
  card: MessageCard
  /** This plugin's state for the card's panel, opened on first use. */
  state(): Promise<PluginState>
  /** Every member's actions on this card as this device holds them (what every gate accepted). */
  actions(): CardActionEntry[]
  /** Whether the card's author closed it (no action is accepted after that, by any peer). */
  closed(): boolean
  /** Whether the card takes actions at all (it was sent with some and its record has arrived). */
  acceptsActions(): boolean
  /** Why I may not send `actionId` now (closed, not for my roles, …), or null. */
  actionProblem(actionId: string): string | null
  /** Sends a card action as me (replacing my earlier one of that id); every peer's gate judges it. */
  act(actionId: string, values?: Record<string, string>): Promise<void>
  /** Takes my action of that id back (while the card is open). */
  withdraw(actionId: string): Promise<void>
  /** The card's author changes it (its data, controls, status line, body). Others are refused. */
  update(patch: CardPatch): Promise<void>
  /** The card's author closes it: every gate refuses actions dated after this. */
  close(): Promise<void>
  /** Called when the card's actions or its record (closed, who) change. */
  onActionsChange(listener: () => void): Dispose
}

export interface ComposerContext extends GroupContext {
  panelId: string
  /** The composer's current text. */
  text(): string
  /** Replaces the composer's text (e.g. inserts a snippet) without sending. */
  setText(text: string): void
  send(text: string, extras?: SendExtras): Promise<void>
}

/** A page inside the group's settings. */
export type GroupPageContext = GroupContext

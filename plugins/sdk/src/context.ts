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

/** A message card: drawn by the plugin that registered `type` (registerCard). */
export interface MessageCard {
  pluginId: string
  type: string
  /** JSON; core caps its size. */
  data: Record<string, unknown>
}

export interface SendExtras {
  /** Attach a card of this plugin (its pluginId is filled in by the host). */
  card?: { type: string; data: Record<string, unknown> }
  replyTo?: string
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

// The registration surface a plugin's `activate` receives: Tailchat's reg* functions, typed. Every
// register* returns a Dispose; the host also disposes everything a plugin registered when it is
// disabled or uninstalled, so a plugin only needs these for registrations it wants to withdraw early.

import type {
  CardActionEvent,
  CardContext,
  ComposerContext,
  Dispose,
  GroupContext,
  GroupPageContext,
  HostContext,
  LocaleStrings,
  MessageContext,
  MessageView,
  Mount,
  PanelContext,
} from './context'
import type { PluginManifest } from './manifest'
import type { PluginState } from './state'

/** A field the "add panel" form asks for; its value lands in the panel record's meta. */
export interface PanelConfigField {
  /** meta key: letters, digits, `_`; not `pluginId` or `panelType`. */
  key: string
  label: LocaleStrings
  kind: 'text' | 'url' | 'number' | 'boolean'
  required?: boolean
  placeholder?: string
}

/** A group panel type (Tailchat's regGroupPanel). Panel meta: { pluginId, panelType, ...config }. */
export interface PanelTypeDefinition {
  /** Unique within the plugin: letters, digits, `-`, `_`. */
  type: string
  name: LocaleStrings
  description?: LocaleStrings
  config?: PanelConfigField[]
  mount: Mount<PanelContext>
}

/**
 * Draws a message's body in place of the markdown (Tailchat's regMessageRender). The first renderer
 * whose `match` says yes wins; the host falls back to markdown if it throws.
 */
export interface MessageRendererDefinition {
  id: string
  match(message: MessageView): boolean
  mount: Mount<MessageContext>
}

/** A block under a message's body (e.g. a link card; Tailchat's regMessageExtraParser). */
export interface MessageExtraDefinition {
  id: string
  match(message: MessageView): boolean
  mount: Mount<MessageContext>
}

/**
 * An interactive card: messages carrying `card: { pluginId: <this plugin>, type }` are drawn by it.
 * Buttons inside call `ctx.send(...)` (a message a panel or bot handles) or `ctx.state()` writes.
 * Members without the plugin see the message's text body, so always send a readable body too.
 */
export interface CardDefinition {
  type: string
  mount: Mount<CardContext>
}

/** A button in the composer (`placement: 'button'`) or an entry in its "+" menu (Tailchat's regChatInputAction / regChatInputButton). */
export interface InputActionDefinition {
  id: string
  label: LocaleStrings
  placement?: 'menu' | 'button'
  run(ctx: ComposerContext): void | Promise<void>
}

/** Handles a paste into the composer (Tailchat's regChatInputPasteHandler). */
export interface PasteHandlerDefinition {
  id: string
  /** Whether this handler wants the paste; the first that does gets it and the default is skipped. */
  match(data: DataTransfer): boolean
  handle(data: DataTransfer, ctx: ComposerContext): void | Promise<void>
}

/** An item in the inbox a plugin puts there with `api.inbox.push`. */
export interface PluginInboxItem {
  /** The registered type. */
  type: string
  id: string
  title: string
  body?: string
  groupId?: string
  panelId?: string
  at: number
  data?: Record<string, unknown>
}

/** How the inbox shows a plugin's item type (Tailchat's regInboxItem). */
export interface InboxItemTypeDefinition {
  type: string
  name: LocaleStrings
  /** Optional custom drawing; without it the inbox shows the item's title and body. */
  mount?: Mount<HostContext & { item: PluginInboxItem }>
}

/** CSS custom properties of the app's colour scheme. */
export const THEME_VARIABLES = [
  'accent',
  'accent-text',
  'text',
  'muted',
  'bg',
  'bg-soft',
  'border',
  'error',
] as const
export type ThemeVariable = (typeof THEME_VARIABLES)[number]

/** A colour scheme (Tailchat's regPluginColorScheme): values for the app's CSS variables. */
export interface ThemeDefinition {
  /** Unique within the plugin. */
  id: string
  name: LocaleStrings
  /** Tells the browser which native controls to draw (`color-scheme`). */
  scheme: 'light' | 'dark'
  colors: Record<ThemeVariable, string>
}

/** The plugin's own settings page, opened from the plugin manager (Tailchat's regPluginSettings). */
export interface SettingsPageDefinition {
  title: LocaleStrings
  mount: Mount<HostContext>
}

/**
 * A page in one of the app's places (Tailchat's regCustomPanel: personal, setting, groupdetail; and
 * regPluginRootRoute: `root`, a page of its own with an entry in the app's rail).
 */
export type PageDefinition =
  | {
      place: 'settings' | 'personal' | 'root'
      id: string
      title: LocaleStrings
      /** For `root`: one character or emoji shown in the rail (the title is its accessible name). */
      icon?: string
      mount: Mount<HostContext>
    }
  | { place: 'group-detail'; id: string; title: LocaleStrings; mount: Mount<GroupPageContext> }

/** A permission point `plugin.<id>.<name>` shown in the roles editor (Tailchat's regPluginPermission). */
export interface PermissionDefinition {
  /** The `<name>` part: letters, digits, `_`, `-`. */
  name: string
  description: LocaleStrings
  defaultGranted: boolean
}

/** An extra line on a member's profile (Tailchat's regUserExtraInfo). */
export interface ProfileFieldDefinition {
  id: string
  label: LocaleStrings
  /** The text to show for `userId` in this group, or null to show nothing. */
  value(userId: string, ctx: GroupContext): string | null | Promise<string | null>
}

/** A setting in the group's config (Tailchat's regGroupConfigItem); stored in group info config under `<pluginId>.<key>`. */
export interface GroupConfigItemDefinition {
  key: string
  label: LocaleStrings
  kind: 'boolean' | 'text' | 'number'
  default: boolean | string | number
}

/** A section of a group's sidebar, under its panel list (e.g. the calendar's upcoming events). */
export interface SidebarSectionDefinition {
  id: string
  title: LocaleStrings
  mount: Mount<GroupContext>
}

/** One of this plugin's panels in one of my groups (a plugin panel whose meta names this plugin). */
export interface PluginPanelRef {
  groupId: string
  groupName: string
  panelId: string
  panelName: string
  /** The panel type it was created as (`registerPanelType`'s `type`). */
  panelType: string
  meta: Readonly<Record<string, string | number | boolean>>
}

/** A notification `api.host.notify` shows. */
export interface NotifyOptions {
  body?: string
  /** A later notification with the same tag replaces the earlier one. */
  tag?: string
  /** Clicking the notification opens this panel. */
  open?: { groupId: string; panelId: string }
}

/** A slash command: `/name args` typed in the composer runs it instead of sending. */
export interface CommandDefinition {
  /** Lower-case letters, digits, `-`. */
  name: string
  description: LocaleStrings
  /** Hint shown after the name, e.g. "<question> | <option> | ...". */
  args?: LocaleStrings
  run(args: string, ctx: ComposerContext): void | Promise<void>
}

/** A new message somewhere in my groups (for notifications, bots-in-the-page, badges). */
export interface MessageEvent {
  groupId: string
  groupName: string
  panelId: string
  panelName: string
  messageId: string
  author: string
  authorName: string
  body: string
  wallMs: number
  /** It mentions me by name. */
  mentionsMe: boolean
  /** It came in a direct-message group. */
  direct: boolean
}

/**
 * Where a sandboxed iframe's content comes from. `{ html }` becomes the frame's srcdoc, which the
 * browser holds to the app's own Content-Security-Policy (relay/src/csp.ts): no inline scripts or
 * styles, no fetches beyond what the app may. A page that needs its own scripts is a `{ url }`.
 */
export type FrameSource = { url: string } | { html: string }

/**
 * Options of `host.frame`. `signIn`: the page (a `{ url }` only) may ask for the member's identity in
 * this group with the "Sign in with Tailmesh" postMessage API (plugins/auth-verify/README.md). The
 * app, not the plugin, asks the member (once per site and group on this device) and signs; the
 * assertion is bound to the origin of `url`.
 */
export interface FrameOptions {
  signIn?: { groupId: string }
}

export interface PluginApi {
  readonly manifest: PluginManifest
  /** Runs on deactivation (disable, uninstall, reload). */
  onDispose(fn: Dispose): void

  registerPanelType(def: PanelTypeDefinition): Dispose
  registerMessageRenderer(def: MessageRendererDefinition): Dispose
  registerMessageExtra(def: MessageExtraDefinition): Dispose
  registerCard(def: CardDefinition): Dispose
  registerInputAction(def: InputActionDefinition): Dispose
  registerPasteHandler(def: PasteHandlerDefinition): Dispose
  registerInboxItemType(def: InboxItemTypeDefinition): Dispose
  registerTheme(def: ThemeDefinition): Dispose
  registerSettingsPage(def: SettingsPageDefinition): Dispose
  registerPage(def: PageDefinition): Dispose
  registerPermission(def: PermissionDefinition): Dispose
  registerProfileField(def: ProfileFieldDefinition): Dispose
  registerGroupConfigItem(def: GroupConfigItemDefinition): Dispose
  registerCommand(def: CommandDefinition): Dispose
  registerSidebarSection(def: SidebarSectionDefinition): Dispose

  /**
   * Presses on this plugin's cards that I sent (I am their author, so I may `update`, `close` or
   * `reply`), from every group I am in, as my device's gate accepts them — whether or not the card
   * is on screen, my own presses included. A press that arrived while the app was starting waits
   * until this is registered. Each open tab and device of mine running the plugin gets it: make
   * answers idempotent (look at `event.card` before answering).
   */
  onCardAction(handler: (event: CardActionEvent) => void | Promise<void>): Dispose

  /** Host services. */
  readonly host: {
    me(): HostContext['me'] | null
    locale(): HostContext['locale']
    t(strings: LocaleStrings): string
    /** New messages in my groups as they arrive (not my own, not history loaded later). */
    onMessage(fn: (event: MessageEvent) => void): Dispose
    /** Opens a panel in the app. */
    openPanel(groupId: string, panelId: string): void
    /**
     * An iframe for untrusted content: `sandbox="allow-scripts allow-forms"` (never same-origin,
     * so it cannot touch the app's storage or keys), no referrer. Appended to `el`.
     */
    frame(el: HTMLElement, source: FrameSource, title: string, options?: FrameOptions): HTMLIFrameElement
    /** This plugin's panels in every group I am in, as the group documents say now. */
    panels(): PluginPanelRef[]
    /** Called when my groups, or the panels in them, change. */
    onPanelsChange(fn: () => void): Dispose
    /** This plugin's state of one of its panels (`x/<pluginId>/<panelId>` in that group). */
    panelState(groupId: string, panelId: string): Promise<PluginState>
    /**
     * Shows a desktop notification if the member allowed them: through the app's service worker
     * (`registration.showNotification`, so it stays in the system tray after the tab closes and a click
     * opens the app), else the page's `Notification`. Resolves false when nothing could be shown.
     */
    notify(title: string, options?: NotifyOptions): Promise<boolean>
  }

  /** Small per-device key-value storage for this plugin (JSON values). */
  readonly storage: {
    get<T = unknown>(key: string): T | undefined
    set(key: string, value: unknown): void
    remove(key: string): void
  }

  /** The inbox entries of this plugin's registered types. */
  readonly inbox: {
    push(item: Omit<PluginInboxItem, 'at'> & { at?: number }): void
    remove(id: string): void
  }
}

// The part of the plugin host that the always-loaded screens (message rows, the composer) read. It
// imports nothing but Vue, so those screens do not pull the plugin host into the first bundle: the
// host, once booted (boot.ts, after the first paint), publishes here what they need — which plugins
// draw a message, whether any composer action exists, who takes a paste — and screens re-render when
// it changes. Before boot, and with no plugin drawing anything, every answer is "nothing".
import type { LocaleStrings } from '@tailmesh/plugin-sdk'
import { shallowRef } from 'vue'
import type { ChatMessage, GroupHandle } from '../client'
import type { MessageParts } from './message-parts'

/** The composer a plugin action or paste handler works on. */
export interface ComposerTarget {
  handle: GroupHandle
  panelId: string
  text: { get(): string; set(v: string): void }
}

export interface Published {
  /** Whether any active plugin draws messages (rows ask `messageParts` only then). */
  drawsMessages: boolean
  messageParts(message: ChatMessage, handle: GroupHandle): MessageParts | null
  /** Whether an active plugin draws cards of this type (a drawn card stands for the body). */
  drawsCard(pluginId: string, type: string): boolean
  /** Whether active plugins add group config items or group-detail pages (the settings' Plugins tab). */
  groupSettings: boolean
  /** How many composer actions (buttons and menu entries) active plugins registered. */
  inputActions: number
  /** Plugin pages with an entry in the rail (registerPage place 'root'). */
  rootPages: { pluginId: string; id: string; title: LocaleStrings; icon?: string }[]
  /** How many sections active plugins add to a group's sidebar. */
  sidebarSections: number
  /** Offers a paste to plugins; true when one took it (then skip the browser's paste). */
  paste(data: DataTransfer, target: ComposerTarget): boolean
}

const NOTHING: Published = {
  drawsMessages: false,
  messageParts: () => null,
  drawsCard: () => false,
  groupSettings: false,
  inputActions: 0,
  rootPages: [],
  sidebarSections: 0,
  paste: () => false,
}

export const published = shallowRef<Published>(NOTHING)

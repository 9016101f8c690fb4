// The contexts plugin UI receives, built from a GroupHandle. A plugin gets functions, never the
// handle: it can send as me (signed, judged by every peer's gate like any message) and edit its own
// plugin documents, nothing else.

import {
  pickLocale,
  type CardContext,
  type ComposerContext,
  type GroupContext,
  type HostContext,
  type MessageCard,
  type MessageContext,
  type MessageView,
  type PanelContext,
  type PluginState,
} from '@tailmesh/plugin-sdk'
import type { ChatMessage, GroupHandle, PanelView, Point } from '../client'
import { i18n } from '../i18n'
import { tailmesh } from '../tailmesh'
import { panelPresence } from './panel-presence'
import { sender } from './sender'
import {
  cardActions,
  cardProblem,
  cardRecord,
  closeOwnCard,
  pressCardButton,
  updateOwnCard,
  withdrawCard,
} from '../client/cards'

export function hostContext(): HostContext {
  const locale = i18n.global.locale.value
  const me = tailmesh.me
  return {
    me: me ? { userId: me.userId, nickname: me.nickname } : { userId: '', nickname: '' },
    locale,
    t: (s) => pickLocale(s, locale),
  }
}

export function groupContext(handle: GroupHandle): GroupContext {
  return {
    ...hostContext(),
    groupId: handle.groupId,
    groupName: handle.info()?.name ?? '',
    can: (point, panelId) => handle.can(point as Point, panelId),
    nameOf: (userId) => handle.nickname(userId),
  }
}

export function panelContext(
  handle: GroupHandle,
  panel: PanelView,
  pluginId: string,
  state: PluginState,
  groupConfig: PanelContext['groupConfig'] = () => undefined,
): PanelContext {
  return {
    ...groupContext(handle),
    panelId: panel.id,
    panelName: panel.name,
    meta: panel.meta ?? {},
    send: sender(handle, pluginId, panel.id),
    state,
    groupState: () => handle.pluginState(pluginId, 'group'),
    groupConfig,
    presence: panelPresence(handle, pluginId, panel.id),
  }
}

/** For a plugin drawing a message (a renderer or an extra): its `send` answers in the message's panel. */
export function messageContext(
  handle: GroupHandle,
  pluginId: string,
  panelId: string,
  message: MessageView,
): MessageContext {
  return { ...groupContext(handle), panelId, message, send: sender(handle, pluginId, panelId) }
}

export function cardContext(
  handle: GroupHandle,
  panelId: string,
  message: MessageView,
  card: MessageCard,
): CardContext {
  let state: Promise<PluginState> | null = null
  const cardId = message.id
  return {
    ...messageContext(handle, card.pluginId, panelId, message),
    card,
    state: () => (state ??= handle.pluginState(card.pluginId, panelId)),
    actions: () =>
      cardActions(handle, panelId, cardId).map(({ actionId, userId, values, at }) => ({
        actionId,
        userId,
        values,
        at,
      })),
    closed: () => cardRecord(handle, panelId, cardId)?.closed !== undefined,
    acceptsActions: () => cardRecord(handle, panelId, cardId) !== undefined,
    actionProblem: (actionId) => cardProblem(handle, panelId, cardId, actionId),
    act: (actionId, values = {}) => pressCardButton(handle, panelId, cardId, actionId, values),
    withdraw: (actionId) => withdrawCard(handle, panelId, cardId, actionId),
    update: (patch) => updateOwnCard(handle, panelId, cardId, patch),
    close: () => closeOwnCard(handle, panelId, cardId),
    // The record is in the group document, the actions in the panel's weeks.
    onActionsChange: (listener) =>
      handle.onChange((c) => (c.kind === 'group' || c.kind === 'panel') && listener()),
  }
}

/** The view of a message plugins get (match, renderers, extras, cards). */
export function messageView(
  handle: Pick<GroupHandle, 'nickname'>,
  m: Pick<ChatMessage, 'id' | 'author' | 'wallMs' | 'body' | 'card' | 'forwarded'>,
): MessageView {
  return {
    id: m.id,
    author: m.author,
    authorName: handle.nickname(m.author),
    wallMs: m.wallMs,
    body: m.body,
    ...(m.card ? { card: m.card } : {}),
    ...(m.forwarded ? { forwarded: { name: m.forwarded.name, where: m.forwarded.where } } : {}),
  }
}

export function composerContext(
  handle: GroupHandle,
  pluginId: string,
  panelId: string,
  text: { get(): string; set(v: string): void },
): ComposerContext {
  return {
    ...groupContext(handle),
    panelId,
    text: text.get,
    setText: text.set,
    send: sender(handle, pluginId, panelId),
  }
}

// When a message deserves a desktop notification, and what it says. Pure, so it is tested without
// a browser: the plugin feeds it the page's visibility and the Notification permission.
import type { MessageEvent } from '@tailmesh/plugin-sdk'

export interface NotifyConditions {
  /** document.visibilityState === 'hidden' */
  hidden: boolean
  permission: NotificationPermission
  /** The member's switch in the plugin's settings (default on). */
  enabled: boolean
}

export function shouldNotify(event: MessageEvent, when: NotifyConditions): boolean {
  return when.enabled && when.hidden && when.permission === 'granted' && (event.mentionsMe || event.direct)
}

const BODY_CHARS = 140

export function notificationFor(event: MessageEvent): { title: string; body: string; tag: string } {
  const flat = event.body.replace(/\s+/g, ' ').trim()
  const body = [...flat].length > BODY_CHARS ? `${[...flat].slice(0, BODY_CHARS - 1).join('')}…` : flat
  const where = event.direct ? event.groupName : `${event.groupName} #${event.panelName}`
  return { title: `${event.authorName} · ${where}`, body, tag: `${event.groupId}/${event.messageId}` }
}

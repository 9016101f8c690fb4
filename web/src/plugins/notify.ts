// `api.host.notify`: a desktop notification, shown through the service worker's registration when
// there is one (it outlives the tab, and the worker's `notificationclick` handler — public/sw-notify.js,
// imported into the generated worker — focuses or opens the app at `data.url`), else by the page.
import type { NotifyOptions } from '@tailmesh/plugin-sdk'

export async function notify(title: string, options: NotifyOptions = {}): Promise<boolean> {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return false
  const url = options.open
    ? `#/groups/${encodeURIComponent(options.open.groupId)}/${encodeURIComponent(options.open.panelId)}`
    : undefined
  const init: NotificationOptions = { body: options.body, tag: options.tag, data: { url } }
  const registration =
    'serviceWorker' in navigator
      ? await navigator.serviceWorker.getRegistration().catch(() => undefined)
      : undefined
  if (registration?.active) {
    try {
      await registration.showNotification(title, init)
      return true
    } catch {
      // Falls back to the page's own notification below.
    }
  }
  const shown = new Notification(title, init)
  shown.onclick = () => {
    window.focus()
    if (url) location.hash = url
    shown.close()
  }
  return true
}

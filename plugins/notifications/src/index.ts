// Desktop notifications (Web Notifications) for mentions and direct messages while the tab is
// hidden. The browser asks for permission only when the member presses the button on the plugin's
// settings page (browsers ignore a request without a user gesture, and an unasked prompt is rude).
// Clicking a notification brings the tab forward at that message's panel.
import { definePlugin, type HostContext, type PluginApi } from '@tailmesh/plugin-sdk'
import { manifest } from './manifest'
import { notificationFor, shouldNotify } from './rules'

const ENABLED = 'enabled'

function supported(): boolean {
  return typeof Notification !== 'undefined'
}

function settings(api: PluginApi, el: HTMLElement, ctx: HostContext): () => void {
  const doc = el.ownerDocument
  const box = doc.createElement('div')
  const status = doc.createElement('p')
  status.setAttribute('role', 'status')
  const ask = doc.createElement('button')
  ask.type = 'button'
  ask.textContent = ctx.t({ en: 'Allow desktop notifications', 'zh-CN': '允许桌面通知' })
  const label = doc.createElement('label')
  const toggle = doc.createElement('input')
  toggle.type = 'checkbox'
  toggle.checked = api.storage.get<boolean>(ENABLED) !== false
  label.append(
    toggle,
    ` ${ctx.t({ en: 'Notify me of mentions and direct messages', 'zh-CN': '有人提及我或私信我时通知我' })}`,
  )
  const render = () => {
    const p = supported() ? Notification.permission : 'unsupported'
    status.textContent = ctx.t(
      p === 'granted'
        ? { en: 'Notifications are allowed.', 'zh-CN': '已允许通知。' }
        : p === 'denied'
          ? { en: 'The browser blocks notifications for this site.', 'zh-CN': '浏览器已阻止此网站的通知。' }
          : p === 'default'
            ? { en: 'Notifications are not allowed yet.', 'zh-CN': '尚未允许通知。' }
            : { en: 'This browser has no desktop notifications.', 'zh-CN': '此浏览器不支持桌面通知。' },
    )
    ask.hidden = p !== 'default'
  }
  ask.addEventListener('click', () => void Notification.requestPermission().then(render))
  toggle.addEventListener('change', () => api.storage.set(ENABLED, toggle.checked))
  render()
  box.append(label, status, ask)
  el.append(box)
  return () => box.remove()
}

export default definePlugin({
  manifest,
  activate(api) {
    api.registerSettingsPage({
      title: { en: 'Desktop notifications', 'zh-CN': '桌面通知' },
      mount: (el, ctx) => settings(api, el, ctx),
    })
    api.host.onMessage((event) => {
      const conditions = {
        hidden: typeof document !== 'undefined' && document.visibilityState === 'hidden',
        permission: supported() ? Notification.permission : ('denied' as const),
        enabled: api.storage.get<boolean>(ENABLED) !== false,
      }
      if (!shouldNotify(event, conditions)) return
      const { title, body, tag } = notificationFor(event)
      const n = new Notification(title, { body, tag })
      n.onclick = () => {
        window.focus()
        api.host.openPanel(event.groupId, event.panelId)
        n.close()
      }
    })
  },
})

// The rest of the API, one small example each, so the template shows every place the app draws a
// plugin: a message renderer, composer actions (a button and a "+" menu entry), a paste handler, an
// inbox item type, pages in three places, a permission point, a profile line and a group setting.
import type { PluginApi } from '@tailmesh/plugin-sdk'

/** The permission point guarding the guestbook's pinned note (`pinned#pin` in the panel's state). */
export const PIN = 'pin'
/** The group setting the guestbook shows above its form. */
export const WELCOME = 'welcome'
const SHOUT = '📣 '
const WAVE = '👋 '
const PASTE_PREFIX = 'guestbook:'

export function registerExtras(api: PluginApi): void {
  // A message starting with "📣 " is drawn as a shout by members with this plugin (text for others).
  api.registerMessageRenderer({
    id: 'shout',
    match: (m) => m.body.startsWith(SHOUT),
    mount(el, ctx) {
      const p = el.ownerDocument.createElement('p')
      p.className = 'guestbook-shout'
      p.style.fontWeight = '700'
      p.style.fontSize = '1.25rem'
      p.textContent = ctx.message.body.slice(SHOUT.length).toUpperCase()
      el.append(p)
    },
  })

  api.registerInputAction({
    id: 'wave',
    label: { en: 'Wave', 'zh-CN': '挥手' },
    placement: 'button',
    run: (ctx) => ctx.send(`${WAVE}${ctx.t({ en: 'everyone', 'zh-CN': '大家' })}`),
  })
  api.registerInputAction({
    id: 'invite-to-sign',
    label: { en: 'Invite to sign the guestbook', 'zh-CN': '邀请签名' },
    run: (ctx) => ctx.setText(ctx.t({ en: 'Please sign our guestbook!', 'zh-CN': '请在留言簿上签名！' })),
  })

  // Pasting "guestbook: <text>" turns it into a signed-looking line in the draft.
  api.registerPasteHandler({
    id: 'signature',
    match: (data) => data.getData('text/plain').trim().toLowerCase().startsWith(PASTE_PREFIX),
    handle(data, ctx) {
      const text = data.getData('text/plain').trim().slice(PASTE_PREFIX.length).trim()
      ctx.setText(`${ctx.text()}✍️ ${text}`)
    },
  })

  // Someone waving in my groups lands in my inbox, and is counted for their profile line.
  api.registerInboxItemType({ type: 'wave', name: { en: 'Wave', 'zh-CN': '挥手' } })
  api.host.onMessage((e) => {
    if (!e.body.startsWith(WAVE)) return
    api.inbox.push({
      type: 'wave',
      id: e.messageId,
      title: api.host.t({ en: `${e.authorName} waved`, 'zh-CN': `${e.authorName} 挥了挥手` }),
      body: e.body,
      groupId: e.groupId,
      panelId: e.panelId,
      at: e.wallMs,
    })
    const waves = api.storage.get<Record<string, number>>('waves') ?? {}
    api.storage.set('waves', { ...waves, [e.author]: (waves[e.author] ?? 0) + 1 })
  })
  api.registerProfileField({
    id: 'waves',
    label: { en: 'Waves to you', 'zh-CN': '向你挥手' },
    value: (userId) => {
      const n = api.storage.get<Record<string, number>>('waves')?.[userId] ?? 0
      return n > 0 ? String(n) : null
    },
  })

  const page = (text: string) => (el: HTMLElement) => {
    const p = el.ownerDocument.createElement('p')
    p.textContent = text
    el.append(p)
  }
  api.registerPage({
    place: 'personal',
    id: 'my-waves',
    title: { en: 'My waves', 'zh-CN': '我的挥手' },
    mount(el, ctx) {
      const waves = api.storage.get<Record<string, number>>('waves') ?? {}
      const total = Object.values(waves).reduce((a, b) => a + b, 0)
      page(ctx.t({ en: `People waved at you ${total} times.`, 'zh-CN': `别人向你挥手 ${total} 次。` }))(el)
    },
  })
  api.registerPage({
    place: 'settings',
    id: 'about',
    title: { en: 'About the guestbook', 'zh-CN': '关于留言簿' },
    mount: (el, ctx) =>
      page(ctx.t({ en: 'The guestbook keeps one line per member.', 'zh-CN': '留言簿为每位成员保留一行。' }))(
        el,
      ),
  })
  api.registerPage({
    place: 'group-detail',
    id: 'guestbook-info',
    title: { en: 'Guestbook in this group', 'zh-CN': '本群组的留言簿' },
    mount: (el, ctx) =>
      page(
        ctx.t({
          en: `Guestbooks of ${ctx.groupName} are open to every member.`,
          'zh-CN': `${ctx.groupName} 的留言簿向每位成员开放。`,
        }),
      )(el),
  })

  api.registerPermission({
    name: PIN,
    description: {
      en: "Pin a note to the top of the group's guestbooks",
      'zh-CN': '在群组留言簿顶部置顶一条留言',
    },
    defaultGranted: true,
  })
  api.registerGroupConfigItem({
    key: WELCOME,
    label: { en: 'Guestbook welcome line', 'zh-CN': '留言簿欢迎语' },
    kind: 'text',
    default: '',
  })
}

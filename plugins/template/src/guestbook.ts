// The guestbook panel: one line per member. Each line is the member's own entry (`line@<userId>` in
// the plugin state's `own` map): every peer's gate lets only that member write it, so nobody can sign
// for someone else or remove another's line — the plugin does not have to check anything.
//
// Above it: the group's welcome line (a group setting, see extras.ts) and a pinned note, the shared
// entry `pinned#pin` — the `#pin` guard makes every peer's gate require the point
// `plugin.com.example.guestbook.pin`, which a role gives (everyone, by default, from the first panel).
import { pluginPoint, type Mount, type PanelContext } from '@tailmesh/plugin-sdk'
import { PIN, WELCOME } from './extras'
import { manifest } from './manifest'

const ENTRY = 'line'
const PINNED = `pinned#${PIN}`
const MAX = 200

/** The welcome line and the pinned note, with a form to change the note for those who may. */
function pinnedNote(ctx: PanelContext, doc: Document): { el: HTMLElement; render(): void } {
  const box = doc.createElement('section')
  box.setAttribute('aria-label', ctx.t({ en: 'Pinned', 'zh-CN': '置顶' }))
  const welcome = doc.createElement('p')
  const text = String(ctx.groupConfig(WELCOME) ?? '').trim()
  welcome.textContent = text
  welcome.hidden = !text
  const note = doc.createElement('p')
  const status = doc.createElement('p')
  status.setAttribute('role', 'status')
  box.append(welcome, note)
  if (ctx.can(pluginPoint(manifest.id, PIN), ctx.panelId)) {
    const form = doc.createElement('form')
    const label = doc.createElement('label')
    const input = doc.createElement('input')
    input.maxLength = MAX
    label.append(ctx.t({ en: 'Pinned note', 'zh-CN': '置顶留言' }), ' ', input)
    const pin = doc.createElement('button')
    pin.type = 'submit'
    pin.textContent = ctx.t({ en: 'Pin', 'zh-CN': '置顶' })
    form.append(label, pin)
    form.addEventListener('submit', (e) => {
      e.preventDefault()
      const value = input.value.trim().slice(0, MAX)
      ctx.state
        .change(() => ctx.state.shared().set(PINNED, value))
        .then(
          () => ((input.value = ''), (status.textContent = '')),
          (error: Error) => (status.textContent = error.message),
        )
    })
    box.append(form)
  }
  box.append(status)
  const render = () => {
    const pinned = ctx.state.shared().get(PINNED)
    note.textContent =
      typeof pinned === 'string' && pinned
        ? ctx.t({ en: `📌 ${pinned}`, 'zh-CN': `📌 ${pinned}` })
        : ctx.t({ en: 'Nothing pinned.', 'zh-CN': '没有置顶留言。' })
  }
  return { el: box, render }
}

export const mountGuestbook: Mount<PanelContext> = (el, ctx) => {
  const doc = el.ownerDocument
  const root = doc.createElement('div')
  root.className = 'guestbook'

  const form = doc.createElement('form')
  const label = doc.createElement('label')
  const input = doc.createElement('input')
  input.maxLength = MAX
  input.required = true
  label.append(ctx.t({ en: 'Your line', 'zh-CN': '你的留言' }), ' ', input)
  const sign = doc.createElement('button')
  sign.type = 'submit'
  sign.textContent = ctx.t({ en: 'Sign the guestbook', 'zh-CN': '签名' })
  const status = doc.createElement('p')
  status.setAttribute('role', 'status')
  form.append(label, sign)

  const list = doc.createElement('ul')
  list.setAttribute('aria-label', ctx.t({ en: 'Signatures', 'zh-CN': '签名列表' }))

  const pinned = pinnedNote(ctx, doc)
  const render = () => {
    pinned.render()
    const lines = [...ctx.state.entries(ENTRY)]
      .filter((e): e is [string, string] => typeof e[1] === 'string')
      .map(([userId, text]) => ({ name: ctx.nameOf(userId), text }))
      .sort((a, b) => a.name.localeCompare(b.name))
    list.replaceChildren(
      ...lines.map(({ name, text }) => {
        const li = doc.createElement('li')
        const who = doc.createElement('strong')
        who.textContent = name // textContent: a member's text never becomes markup
        li.append(who, `: ${text}`)
        return li
      }),
    )
    const mine = ctx.state.own().get(ctx.state.ownKey(ENTRY))
    sign.textContent =
      typeof mine === 'string'
        ? ctx.t({ en: 'Change my line', 'zh-CN': '修改我的留言' })
        : ctx.t({ en: 'Sign the guestbook', 'zh-CN': '签名' })
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault()
    const text = input.value.trim().slice(0, MAX)
    if (!text) return
    ctx.state
      .change(() => ctx.state.own().set(ctx.state.ownKey(ENTRY), text))
      .then(
        () => {
          input.value = ''
          status.textContent = ''
        },
        (error: Error) => (status.textContent = error.message),
      )
  })

  const off = ctx.state.onChange(render)
  render()
  root.append(pinned.el, form, status, list)
  el.append(root)
  return () => {
    off()
    root.remove()
  }
}

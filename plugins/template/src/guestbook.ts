// The guestbook panel: one line per member. Each line is the member's own entry (`line@<userId>` in
// the plugin state's `own` map): every peer's gate lets only that member write it, so nobody can sign
// for someone else or remove another's line — the plugin does not have to check anything.
import type { Mount, PanelContext } from '@tailmesh/plugin-sdk'

const ENTRY = 'line'
const MAX = 200

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

  const render = () => {
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
  root.append(form, status, list)
  el.append(root)
  return () => {
    off()
    root.remove()
  }
}

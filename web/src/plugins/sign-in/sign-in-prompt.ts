// The question the app asks before a site learns who I am: which site (its origin, as the app
// opened it), what it will get, and for which group. Drawn by the app in a native modal <dialog>
// (focus trapped, Escape is "no"), never by the plugin or the page, so neither can answer for me.
import { i18n } from '../../i18n'

export interface SignInQuestion {
  origin: string
  groupName: string
  nickname: string
}

/** Resolves true if I allow, false if I refuse or close it. */
export function askToSignIn(q: SignInQuestion, doc: Document = document): Promise<boolean> {
  const t = i18n.global.t
  const dialog = doc.createElement('dialog')
  dialog.className = 'dialog sign-in-prompt'
  dialog.setAttribute('aria-labelledby', 'sign-in-prompt-title')
  dialog.setAttribute('aria-describedby', 'sign-in-prompt-asks')

  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, id?: string) => {
    const e = doc.createElement(tag)
    if (text !== undefined) e.textContent = text
    if (id) e.id = id
    return e
  }
  const title = el('h2', t('plugins.signIn.title'), 'sign-in-prompt-title')
  const site = el('p', undefined, 'sign-in-prompt-asks')
  const origin = el('strong', q.origin)
  origin.className = 'sign-in-origin'
  site.append(origin, ` ${t('plugins.signIn.asks')}`)
  const gets = el('p', t('plugins.signIn.gets'))
  const list = el('ul')
  for (const line of [
    t('plugins.signIn.getsIdentity', { nickname: q.nickname }),
    t('plugins.signIn.getsAvatar'),
    t('plugins.signIn.getsGroup', { group: q.groupName }),
  ])
    list.append(el('li', line))
  const note = el('p', t('plugins.signIn.note'))
  note.className = 'hint'
  const allow = el('button', t('plugins.signIn.allow'))
  allow.type = 'button'
  const deny = el('button', t('plugins.signIn.deny'))
  deny.type = 'button'
  const actions = el('div')
  actions.className = 'row'
  actions.append(allow, deny)
  dialog.append(title, site, gets, list, note, actions)
  doc.body.append(dialog)

  return new Promise((resolve) => {
    let answer = false
    allow.onclick = () => {
      answer = true
      dialog.close()
    }
    deny.onclick = () => dialog.close()
    dialog.addEventListener('close', () => {
      dialog.remove()
      resolve(answer)
    })
    dialog.showModal()
    deny.focus()
  })
}

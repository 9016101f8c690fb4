// The web panel: a URL shown in a sandboxed iframe (the host's `frame`: scripts and forms run, but
// with an opaque origin, so the page cannot reach the app's storage or keys), with a link to open it
// in a new tab for sites that refuse to be framed.
//
// The page can ask for the member's identity through the "Sign in with Tailmesh" postMessage API
// (plugins/auth-verify/README.md); the app asks the member and signs, not this plugin.
//
// Panels made before plugins existed have type 'web' and meta { url }; the host draws those with this
// plugin too, so both kinds look and behave the same.
import { definePlugin, type PanelContext } from '@tailmesh/plugin-sdk'
import { manifest } from './manifest'

export const WEB_PANEL_TYPE = 'page'

export function webPanelUrl(meta: PanelContext['meta']): string | null {
  const url = meta.url
  return typeof url === 'string' && /^https?:\/\//i.test(url) ? url : null
}

export default definePlugin({
  manifest,
  activate(api) {
    api.registerPanelType({
      type: WEB_PANEL_TYPE,
      name: { en: 'Web page', 'zh-CN': '网页' },
      description: { en: 'Shows a web page inside the group', 'zh-CN': '在群组中显示一个网页' },
      config: [
        {
          key: 'url',
          label: { en: 'Address (http/https)', 'zh-CN': '网址（http/https）' },
          kind: 'url',
          required: true,
        },
      ],
      mount(el, ctx) {
        const url = webPanelUrl(ctx.meta)
        const box = el.ownerDocument.createElement('div')
        box.className = 'web-panel'
        el.append(box)
        if (!url) {
          box.textContent = ctx.t({ en: 'This panel has no web address.', 'zh-CN': '此面板没有网址。' })
          return
        }
        // The page may ask who the member is (Sign in with Tailmesh): the app asks the member first.
        api.host.frame(
          box,
          { url },
          ctx.t({ en: `Web page ${ctx.panelName}`, 'zh-CN': `网页 ${ctx.panelName}` }),
          { signIn: { groupId: ctx.groupId } },
        )
        const link = el.ownerDocument.createElement('a')
        link.href = url
        link.target = '_blank'
        link.rel = 'noopener noreferrer'
        link.textContent = ctx.t({ en: 'Open in a new tab', 'zh-CN': '在新标签页中打开' })
        box.append(link)
        return () => box.remove()
      },
    })
  },
})

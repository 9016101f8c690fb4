// The template plugin (plugins/README.md walks through it): a panel type, a slash command and an
// interactive card, registered through the same API every plugin uses.
import { definePlugin } from '@tailmesh/plugin-sdk'
import { registerExtras } from './extras'
import { mountGuestbook } from './guestbook'
import { manifest } from './manifest'
import { mountWave } from './wave'

export default definePlugin({
  manifest,
  activate(api) {
    api.registerPanelType({
      type: 'guestbook',
      name: { en: 'Guestbook', 'zh-CN': '留言簿' },
      description: { en: 'Every member signs once', 'zh-CN': '每位成员签名一次' },
      mount: mountGuestbook,
    })

    // `/wave Bob` in a text panel sends a message with a card; members with this plugin see a
    // "Wave back" button, others see the text.
    api.registerCommand({
      name: 'wave',
      description: { en: 'Wave at someone', 'zh-CN': '向某人挥手' },
      args: { en: '<name>', 'zh-CN': '<名字>' },
      run: (args, ctx) => {
        const to = args.trim() || ctx.t({ en: 'everyone', 'zh-CN': '大家' })
        return ctx.send(`👋 ${to}`, { card: { type: 'wave', data: { to } } })
      },
    })
    api.registerCard({ type: 'wave', mount: mountWave })
    registerExtras(api)
  },
})

// Whiteboard: a group panel type where members with the plugin's draw point sketch together (pen,
// shapes, text, sticky notes), see each other's cursors, undo their own changes and export the board.
import { definePlugin } from '@tailmesh/plugin-sdk'
import { manifest } from './manifest'
import { mountWhiteboard } from './panel'
import { S } from './strings'

export { manifest }

export const WHITEBOARD_PANEL = 'whiteboard'

export default definePlugin({
  manifest,
  activate(api) {
    api.registerPanelType({
      type: WHITEBOARD_PANEL,
      name: S.panelName,
      description: S.panelDescription,
      mount: mountWhiteboard,
    })
  },
})

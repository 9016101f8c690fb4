// Notes: a group panel type whose content is one shared markdown text that every member who may
// speak in the panel edits together, with a sanitised live preview.
import { definePlugin } from '@tailmesh/plugin-sdk'
import { manifest } from './manifest'
import { NOTES_PANEL } from './notes'
import { mountNotesPanel } from './panel'
import { S } from './strings'

export { manifest }

export default definePlugin({
  manifest,
  activate(api) {
    api.registerPanelType({
      type: NOTES_PANEL,
      name: S.panelName,
      description: S.panelDescription,
      mount: mountNotesPanel,
    })
  },
})

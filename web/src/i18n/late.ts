// English messages of the areas no first screen shows (group management, identity backup, devices,
// attachments, plugins, friends, search, settings): put in place when a screen that uses them loads — each such screen imports
// this module, and App.vue loads it right after the first paint — so the app shell carries only the
// first screens' strings (bench/bundle-size.bench.ts). Chinese is part of zh-CN.all.ts, which loads
// on its own; addMessages merges these again whenever English is reset.
import { addMessages } from '.'
import { attachmentsEn } from './attachments.en'
import { devicesEn } from './devices.en'
import { enLate } from './en-late'
import { friendsEn } from './friends.en'
import { identityEn } from './identity.en'
import { layoutLateEn } from './layout.en'
import { manageEn } from './manage.en'
import { enMessagesUiLate } from './messages-ui-late.en'
import { pluginsEn } from './plugins.en'
import { searchEn } from './search.en'
import { settingsEn } from './settings.en'

addMessages({
  en: {
    ...enLate,
    ...enMessagesUiLate,
    manage: manageEn,
    identity: identityEn,
    devices: devicesEn,
    attachments: attachmentsEn,
    plugins: pluginsEn,
    friends: friendsEn,
    search: searchEn,
    settings: settingsEn,
    layout: layoutLateEn,
  },
})

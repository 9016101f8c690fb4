// vue-i18n in Composition mode. English is the default; the choice is kept in localStorage (a UI
// preference, not user data) and mirrored on <html lang> for screen readers.
import { createI18n } from 'vue-i18n'
import { en, type MessageSchema } from './en'
import { manageEn, type ManageSchema } from './manage.en'
import { manageZhCN } from './manage.zh-CN'
import { zhCN } from './zh-CN'
import { enMessagesUi, type MessagesUiSchema } from './messages-ui.en'
import { zhCNMessagesUi } from './messages-ui.zh-CN'
import { identityEn, type IdentitySchema } from './identity.en'
import { identityZhCN } from './identity.zh-CN'
import { pluginsEn, type PluginsSchema } from './plugins.en'
import { devicesEn, type DevicesSchema } from './devices.en'
import { devicesZhCN } from './devices.zh-CN'
import { pluginsZhCN } from './plugins.zh-CN'
import { friendsEn, type FriendsSchema } from './friends.en'
import { friendsZhCN } from './friends.zh-CN'
import { attachmentsEn, type AttachmentsSchema } from './attachments.en'
import { attachmentsZhCN } from './attachments.zh-CN'
import { presenceEn, type PresenceSchema } from './presence.en'
import { presenceZhCN } from './presence.zh-CN'
import { searchEn, type SearchSchema } from './search.en'
import { searchZhCN } from './search.zh-CN'
import { settingsEn, type SettingsSchema } from './settings.en'
import { settingsZhCN } from './settings.zh-CN'

export const LOCALES = [
  { code: 'en', label: 'English' },
  { code: 'zh-CN', label: '中文' },
] as const
export type Locale = (typeof LOCALES)[number]['code']

const STORAGE_KEY = 'tailmesh.locale'

const isLocale = (v: unknown): v is Locale => LOCALES.some((l) => l.code === v)

function savedLocale(): Locale {
  try {
    const saved = localStorage.getItem(STORAGE_KEY)
    if (isLocale(saved)) return saved
  } catch {
    // storage unavailable: fall through to the default
  }
  return 'en'
}

/** The main messages plus group management's (kept in their own files: manage.*.ts). */
type AllMessages = MessageSchema & {
  manage: ManageSchema
  identity: IdentitySchema
  plugins: PluginsSchema
  devices: DevicesSchema
  friends: FriendsSchema
  attachments: AttachmentsSchema
  presence: PresenceSchema
  search: SearchSchema
  settings: SettingsSchema
} & MessagesUiSchema

export const i18n = createI18n<[AllMessages], Locale, false>({
  legacy: false,
  locale: savedLocale(),
  fallbackLocale: 'en',
  messages: {
    en: {
      ...en,
      manage: manageEn,
      identity: identityEn,
      plugins: pluginsEn,
      devices: devicesEn,
      friends: friendsEn,
      attachments: attachmentsEn,
      presence: presenceEn,
      search: searchEn,
      settings: settingsEn,
      ...enMessagesUi,
    },
    'zh-CN': {
      ...zhCN,
      manage: manageZhCN,
      identity: identityZhCN,
      plugins: pluginsZhCN,
      devices: devicesZhCN,
      friends: friendsZhCN,
      attachments: attachmentsZhCN,
      presence: presenceZhCN,
      search: searchZhCN,
      settings: settingsZhCN,
      ...zhCNMessagesUi,
    },
  },
})

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale
  document.documentElement.lang = locale
  try {
    localStorage.setItem(STORAGE_KEY, locale)
  } catch {
    // not kept: the switch still applies to this session
  }
}

export { isLocale }

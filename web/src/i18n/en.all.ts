// Every English message, and their shape (AllMessages): the app's built-in language, which every other
// language is typed against (zh-CN.all.ts) — a new *.en.ts part is added here, its twin there.
import { en, type MessageSchema } from './en'
import type { enLate } from './en-late'
import type { ManageSchema } from './manage.en'
import { enMessagesUi, type MessagesUiSchema } from './messages-ui.en'
import type { enMessagesUiLate } from './messages-ui-late.en'
import type { IdentitySchema } from './identity.en'
import type { PluginsSchema } from './plugins.en'
import type { DevicesSchema } from './devices.en'
import type { FriendsSchema } from './friends.en'
import type { AttachmentsSchema } from './attachments.en'
import { presenceEn, type PresenceSchema } from './presence.en'
import type { SearchSchema } from './search.en'
import type { SettingsSchema } from './settings.en'
import { layoutEn, type LayoutSchema } from './layout.en'

/** The main messages plus each area's (kept in their own files: manage.*.ts, identity.*.ts, …). */
export type AllMessages = MessageSchema & {
  manage: ManageSchema
  identity: IdentitySchema
  plugins: PluginsSchema
  devices: DevicesSchema
  friends: FriendsSchema
  attachments: AttachmentsSchema
  presence: PresenceSchema
  search: SearchSchema
  settings: SettingsSchema
  layout: LayoutSchema
} & MessagesUiSchema

/** The areas whose English comes with the screens that use them (late.ts), not with the shell. */
export type LateAreas =
  'manage' | 'identity' | 'devices' | 'attachments' | 'plugins' | 'friends' | 'search' | 'settings'

/** Keys of the main messages whose English is late too (en.ts's enLate, messages-ui's late half). */
type LateKeys = keyof typeof enLate | keyof typeof enMessagesUiLate

/** What the app shell carries: everything but the late areas, so it stays within its budget. */
export const enAll: Omit<AllMessages, LateAreas | 'layout' | LateKeys> & { layout: typeof layoutEn } = {
  ...en,
  presence: presenceEn,
  layout: layoutEn,
  ...enMessagesUi,
}

// Every Simplified Chinese message, in one module the app imports only when zh-CN is chosen (at start
// when it was saved, or from the language switch): English is in the app shell, this is not
// (bench/bundle-size.bench.ts). Typed against the English messages: a part missing here fails the
// type check — a new *.zh-CN.ts file is added here, its English twin in en.all.ts.
import type { AllMessages } from './en.all'
import { manageZhCN } from './manage.zh-CN'
import { zhCN } from './zh-CN'
import { zhCNMessagesUi } from './messages-ui.zh-CN'
import { identityZhCN } from './identity.zh-CN'
import { devicesZhCN } from './devices.zh-CN'
import { pluginsZhCN } from './plugins.zh-CN'
import { friendsZhCN } from './friends.zh-CN'
import { attachmentsZhCN } from './attachments.zh-CN'
import { presenceZhCN } from './presence.zh-CN'
import { searchZhCN } from './search.zh-CN'
import { settingsZhCN } from './settings.zh-CN'
import { layoutZhCN } from './layout.zh-CN'
import type { EverydaySchema } from './everyday.en'
import { everydayZhCN } from './everyday.zh-CN'

// `everyday` is not in the English shell's type: its English loads with the features (i18n/everyday.ts).
export const zhCNAll: AllMessages & { everyday: EverydaySchema } = {
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
  layout: layoutZhCN,
  everyday: everydayZhCN,
  ...zhCNMessagesUi,
}

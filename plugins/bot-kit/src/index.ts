export {
  Bot,
  BOT_CARD_PLUGIN,
  BOT_CARD_TYPE,
  BotStoppedError,
  BotTimeoutError,
  type BotCard,
  type BotGroup,
  type BotOptions,
  type BotPanel,
} from './bot'
export { createdMessageIds, messagesCreatedBy, type BotCardAction, type BotMessage } from './incoming'
export { relayEndpoints, type RelayEndpoints } from './relay-endpoints'
export { BotValues } from './values'
export { cut, escapeMarkdown, link, linkUrl } from './markdown'
export { runBotCli, type BotCli, type BotCliOptions, type BotCliValues } from './cli'

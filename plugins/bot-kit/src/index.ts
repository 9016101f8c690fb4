export { Bot, BotStoppedError, BotTimeoutError, type BotGroup, type BotOptions, type BotPanel } from './bot'
export { createdMessageIds, messagesCreatedBy, type BotMessage } from './incoming'
export { relayEndpoints, type RelayEndpoints } from './relay-endpoints'
export { BotValues } from './values'

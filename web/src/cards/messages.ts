// The cards' strings, in both languages, merged into vue-i18n when the card chunk loads (every
// component of cards/ imports this), so they weigh nothing in the app shell.
import { addMessages } from '../i18n'
import { cardsEn } from '../i18n/cards.en'
import { cardsZhCN } from '../i18n/cards.zh-CN'

addMessages({ en: { cards: cardsEn }, 'zh-CN': { cards: cardsZhCN } })

// Cards with buttons (a bot's or a plugin's): English, and the shape the other languages must have.
// Merged under `cards` when the card chunk loads (cards/messages.ts).
export const cardsEn = {
  controls: 'Actions on this card',
  closed: 'This card is closed: its author closed it.',
  notListed: 'Only the roles and members this card lists can act on it.',
  pending: 'This card is still arriving: its buttons work once it has.',
  noAccess: 'You cannot act on cards in this panel.',
  forwarded: 'A forwarded copy: its buttons work only on the original.',
  pressed: 'You chose this',
  sending: 'Sending…',
  failed: 'Could not send: {reason}',
  choose: 'Choose…',
}
export type CardsSchema = typeof cardsEn

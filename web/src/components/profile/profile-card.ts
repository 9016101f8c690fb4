// Which member's profile card is open (issue 21): a member's name or avatar in the list, a message's
// author or an @mention chip opens it beside what was pressed; one card at a time, for the whole
// group screen (views/GroupView.vue draws it, from its own chunk).
import { shallowRef } from 'vue'

export interface ProfileCardRequest {
  userId: string
  /** What was pressed: the card sits beside it, and focus returns to it on close. */
  anchor: HTMLElement
}

export const profileCard = shallowRef<ProfileCardRequest | null>(null)

export function openProfile(userId: string, anchor: HTMLElement): void {
  profileCard.value = { userId, anchor }
}

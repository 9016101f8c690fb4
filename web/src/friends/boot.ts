// Starts the friend channel in its own chunk once there is an identity (see App.vue).
import { useFriendsStore } from './store'

export function startFriends(): Promise<void> {
  return useFriendsStore().start()
}

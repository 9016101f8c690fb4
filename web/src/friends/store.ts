// Friends as the screens show them: a view of the client's FriendsClient, re-read on every change.
// The channel starts once there is an identity (App.vue), so requests and DM invites arrive while
// any screen is open, not only Friends.
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import { FriendsClient, type Friend, type IncomingRequest, type OutgoingRequest } from '../client/friends'
import { relayFriendsSync } from '../client/friends-sync'
import { tailmesh } from '../tailmesh'

export const friendsClient = new FriendsClient(tailmesh, relayFriendsSync())

export const useFriendsStore = defineStore('friends', () => {
  const friends = shallowRef<readonly Friend[]>([])
  const incoming = shallowRef<readonly IncomingRequest[]>([])
  const outgoing = shallowRef<readonly OutgoingRequest[]>([])
  const code = ref<string | null>(null)
  const ready = ref(false)
  /** Why friends cannot run here (a linked device), or a start failure. */
  const problem = ref<string | null>(null)

  function read(): void {
    const v = friendsClient.view()
    // Fresh arrays: the channel changes its lists in place.
    friends.value = [...v.friends]
    incoming.value = [...v.incoming]
    outgoing.value = [...v.outgoing]
    code.value = friendsClient.started ? friendsClient.code() : null
    ready.value = friendsClient.started
  }
  friendsClient.onChange(read)

  async function start(): Promise<void> {
    if (tailmesh.isLinkedDevice) {
      problem.value = 'linked'
      return
    }
    try {
      await friendsClient.start()
      problem.value = null
    } catch (e) {
      problem.value = e instanceof Error ? e.message : String(e)
    }
    read()
  }

  const link = (): string => friendsClient.link(location.origin + location.pathname)

  /** A friend's name for a user id, or a short form of the id. */
  function nameOf(userId: string): string {
    return friends.value.find((f) => f.userId === userId)?.nickname ?? `${userId.slice(0, 8)}…`
  }

  return {
    friends,
    incoming,
    outgoing,
    code,
    ready,
    problem,
    start,
    link,
    nameOf,
    whoseCode: (pasted: string) => friendsClient.whoseCode(pasted),
    isMe: (userId: string) => friendsClient.isMe(userId),
    request: (pasted: string) => friendsClient.request(pasted),
    accept: (id: string) => friendsClient.accept(id),
    deny: (id: string) => friendsClient.deny(id),
    message: (userId: string) => friendsClient.message(userId),
    groupDm: (userIds: string[]) => friendsClient.groupDm(userIds),
    regenerate: () => friendsClient.regenerate(),
  }
})

// Where a person reads friend requests: a mailbox topic derived from their friend secret, as a group's
// topic derives from its key (keys/topic.ts). Whoever holds the friend card can post there (and read
// the sealed frames), the relay sees a topic hash only, and a new secret gives an unrelated topic, so
// regenerating the card leaves the old topic unread. What is posted is sealed with a key derived from
// the same secret and, inside, to the owner's box key: other holders of the card cannot read it.
import { utf8 } from '../bytes'
import { hkdf } from '../crypto/hash'
import type { UserId } from '../identity/user-id'
import { GroupKey } from '../keys/group-key'
import { deriveTopic } from '../keys/topic'
import type { TopicAccess } from '../sync/transport'
import type { FriendCard } from './friend-card'

export interface FriendTopic {
  /** Seals frames on the topic (the outer layer; requests are sealed to the owner's box key inside). */
  key: GroupKey
  access: TopicAccess
}

export async function friendTopic(card: Pick<FriendCard, 'userId' | 'secret'>): Promise<FriendTopic> {
  const salt = utf8(card.userId)
  const raw = await hkdf(card.secret, salt, 'tailmesh/friend-topic-key/v1', 32)
  try {
    const key = await GroupKey.fromBytes(raw)
    return {
      key,
      access: {
        topic: await deriveTopic(topicName(card.userId), key),
        secret: await hkdf(raw, salt, 'tailmesh/friend-transport-secret/v1', 32),
      },
    }
  } finally {
    raw.fill(0)
  }
}

const topicName = (userId: UserId): string => `friends/${userId}`

// A member's profile as their group shows it: the signed profile they wrote into their own member
// record (the gate lets only that member write it). Read, validated, never trusted for more than
// display: an avatar is an image source, nothing else.
import { validateProfile, type Profile, type SignedProfile, type UserId } from '@tailmesh/core'
import type { GroupHandle } from './group-handle'

export function profileOf(handle: GroupHandle, userId: UserId): Profile | null {
  const sp = handle.group.gate.authority().members.get(userId)?.profile as SignedProfile | undefined
  if (!sp || sp.userId !== userId) return null
  try {
    return validateProfile(sp.profile)
  } catch {
    return null
  }
}

// Which sites I let sign me in, per group, on this device (localStorage): asked once, then
// remembered until I revoke it in Settings → "Sites you signed in to".
const KEY = 'tailmesh.signIn.approvals'

export interface SignInApproval {
  origin: string
  groupId: string
  groupName: string
  /** When I approved, ms. */
  at: number
}

type Listener = () => void
const listeners = new Set<Listener>()

function storage(): Storage | null {
  try {
    return localStorage
  } catch {
    return null
  }
}

export function listApprovals(): SignInApproval[] {
  try {
    const v = JSON.parse(storage()?.getItem(KEY) ?? '[]') as unknown
    return Array.isArray(v)
      ? v.filter(
          (a): a is SignInApproval =>
            typeof a?.origin === 'string' &&
            typeof a?.groupId === 'string' &&
            typeof a?.groupName === 'string',
        )
      : []
  } catch {
    // A damaged entry means nothing is approved: the member is asked again.
    return []
  }
}

function save(list: SignInApproval[]): void {
  storage()?.setItem(KEY, JSON.stringify(list))
  for (const l of listeners) l()
}

export function isApproved(origin: string, groupId: string): boolean {
  return listApprovals().some((a) => a.origin === origin && a.groupId === groupId)
}

export function approve(origin: string, groupId: string, groupName: string): void {
  save([
    ...listApprovals().filter((a) => !(a.origin === origin && a.groupId === groupId)),
    { origin, groupId, groupName, at: Date.now() },
  ])
}

export function revoke(origin: string, groupId: string): void {
  save(listApprovals().filter((a) => !(a.origin === origin && a.groupId === groupId)))
}

export function onApprovalsChanged(fn: Listener): () => void {
  listeners.add(fn)
  return () => listeners.delete(fn)
}

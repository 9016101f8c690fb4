// What the member list is computed from, and when it is computed again: only when who is a member,
// their names, the roles (names, colours, order, who holds which), who is online or the search
// actually changed. The stores hand out new arrays and maps on every re-read (a connection change,
// a presence heartbeat, a permission edit, a message that touched nothing here): each input below
// keeps its previous value when the new one says the same, so the sections are not touched for
// them; real changes patch the sections (member-sections.ts) rather than walk every member again.
// Reactive (Vue's computed) but free of components and stores: unit-tested.
import { computed, type ComputedRef } from 'vue'
import type { MemberPresence, UserId } from '@tailmesh/core'
import { MemberOrder, type NamedMember } from './member-order'
import { SectionBuilder, hoistedRoles, type MemberSection, type RoleHead } from './member-sections'

export interface MemberListSources {
  members: () => readonly NamedMember[]
  roles: () => readonly RoleHead[]
  /** Each member's assigned roles. */
  assigned: () => readonly { userId: UserId; roles: readonly string[] }[]
  presence: () => ReadonlyMap<UserId, MemberPresence>
  me: () => UserId
  owner: () => UserId | undefined
  locale: () => string
  query: () => string
}

export interface MemberListModel {
  sections: ComputedRef<MemberSection[]>
  /** Members in the group (whatever the search). */
  total: ComputedRef<number>
  /** Of them online (this device's user included). */
  online: ComputedRef<number>
  /** The search as matched: trimmed and folded, '' for none. */
  query: ComputedRef<string>
}

export function memberListModel(src: MemberListSources): MemberListModel {
  let order = new MemberOrder(src.locale())
  let builder = new SectionBuilder(order.compare)
  const ordered = computed(() => {
    const locale = src.locale()
    if (order.locale !== locale) {
      order = new MemberOrder(locale)
      builder = new SectionBuilder(order.compare)
    }
    return order.update(src.members())
  })
  const roles = computed<readonly RoleHead[]>((prev) => {
    const next = src.roles().map(({ id, name, color, everyone }) => ({ id, name, color, everyone }))
    return prev && sameRoles(prev, next) ? prev : next
  })
  const sectionOf = computed<ReadonlyMap<UserId, string>>((prev) => {
    const next = hoistedRoles(roles.value, src.assigned())
    return prev && sameMap(prev, next) ? prev : next
  })
  const online = computed<ReadonlySet<UserId>>((prev) => {
    const next = new Set<UserId>()
    for (const p of src.presence().values()) if (p.online) next.add(p.userId)
    return prev && sameSet(prev, next) ? prev : next
  })
  const query = computed(() => src.query().trim().toLocaleLowerCase(src.locale()))
  const sections = computed(() =>
    builder.build(
      {
        order: ordered.value,
        roles: roles.value,
        sectionOf: sectionOf.value,
        online: online.value,
        me: src.me(),
        owner: src.owner(),
        query: query.value,
      },
      order.lastChange(),
    ),
  )
  return {
    sections,
    total: computed(() => ordered.value.length),
    online: computed(() => {
      void ordered.value
      const me = src.me()
      let n = order.has(me) ? 1 : 0
      for (const u of online.value) if (u !== me && order.has(u)) n++
      return n
    }),
    query,
  }
}

function sameRoles(a: readonly RoleHead[], b: readonly RoleHead[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (r, i) =>
        r.id === b[i]!.id &&
        r.name === b[i]!.name &&
        r.color === b[i]!.color &&
        r.everyone === b[i]!.everyone,
    )
  )
}

function sameMap<K, V>(a: ReadonlyMap<K, V>, b: ReadonlyMap<K, V>): boolean {
  if (a.size !== b.size) return false
  for (const [k, v] of a) if (b.get(k) !== v) return false
  return true
}

function sameSet<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): boolean {
  if (a.size !== b.size) return false
  for (const x of a) if (!b.has(x)) return false
  return true
}

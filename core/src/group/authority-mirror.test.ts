import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { groupOf, join, person, syncAll } from '../../test/peers'
import { referenceAuthorityState } from '../../test/reference-authority'
import { AuthorityMirror } from './authority-mirror'
import type { AuthorityState } from './authority-state'
import { GROUP_DOC_ID, GroupRoot } from './documents'
import { rotateGroupKey } from './keyring'
import { newId } from './operations'

/** Maps and sets as sorted entries: the mirror may list keys in another order than a full read. */
function plain(state: AuthorityState): unknown {
  const norm = (v: unknown): unknown =>
    v instanceof Map
      ? [...v].map(([k, x]) => [k, norm(x)]).sort(([a], [b]) => (String(a) < String(b) ? -1 : 1))
      : v instanceof Set
        ? [...v].sort()
        : v
  return Object.fromEntries(Object.entries(state).map(([k, v]) => [k, norm(v)]))
}

/** Every (root, key, value) a real group writes: members, roles, sanctions, a rotation in parts. */
async function realWrites(): Promise<{ root: string; key: string; value: unknown }[]> {
  const { owner: alice } = await groupOf()
  const bob = await person('bob', alice.groupId)
  const carol = await person('carol', alice.groupId)
  await join(alice, bob)
  await join(alice, carol)
  await syncAll([alice, bob, carol])
  const role = await alice.actions.createRole({ name: 'mods', points: [] })
  await alice.actions.assignRole(bob.identity.userId, role)
  await alice.actions.mute(bob.identity.userId, 60_000)
  await alice.actions.kick(carol.identity.userId)
  await rotateGroupKey(alice.session, newId, 1)
  const doc = alice.gate.doc(GROUP_DOC_ID)
  const out: { root: string; key: string; value: unknown }[] = []
  for (const root of Object.values(GroupRoot))
    doc.getMap(root).forEach((value, key) => out.push({ root, key, value }))
  return out
}

describe('authority mirror', () => {
  it('holds what a full read of the document holds, after any sequence of writes and removals', async () => {
    const writes = await realWrites()
    const roots = Object.values(GroupRoot)
    const keysOf = (root: string) => [
      ...new Set(writes.filter((w) => w.root === root).map((w) => w.key)),
      // Shapes the rules let through or a forged local write makes: extra parts, a part of nothing.
      `${writes.find((w) => w.root === root)?.key ?? 'x'}/extra`,
      'mute/odd/extra',
      'kick',
      'odd',
    ]
    const op = fc.record({
      root: fc.constantFrom(...roots),
      pick: fc.nat(),
      value: fc.oneof(
        fc.nat().map((i) => writes[i % writes.length]!.value),
        fc.constantFrom<unknown>(true, false, 'junk', 7, { by: 'nobody' }, undefined),
      ),
      remove: fc.boolean(),
    })
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(op, { minLength: 1, maxLength: 6 }), { maxLength: 25 }),
        async (batches) => {
          const doc = new Y.Doc()
          const mirror = new AuthorityMirror(doc, true)
          // Start from the real group, so removals and overwrites meet real records.
          doc.transact(() => {
            for (const w of writes) doc.getMap(w.root).set(w.key, w.value)
          })
          expect(plain(mirror.state)).toEqual(plain(referenceAuthorityState(doc)))
          for (const batch of batches) {
            doc.transact(() => {
              for (const { root, pick, value, remove } of batch) {
                const keys = keysOf(root)
                const key = keys[pick % keys.length]!
                if (remove || value === undefined) doc.getMap(root).delete(key)
                else doc.getMap(root).set(key, value)
              }
            })
            expect(plain(mirror.state)).toEqual(plain(referenceAuthorityState(doc)))
          }
          mirror.destroy()
        },
      ),
      { numRuns: 200, seed: 20261206 },
    )
  })

  it('a read that does not follow keeps the state it read', async () => {
    const doc = new Y.Doc()
    doc.getMap(GroupRoot.info).set('owner', 'someone')
    const once = new AuthorityMirror(doc, false)
    doc.getMap(GroupRoot.info).set('owner', 'someone else')
    expect(once.state.info?.owner).toBe('someone')
  })
})

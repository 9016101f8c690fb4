// The host side of what plugins draw, without a browser: which plugins draw a message (renderer,
// extras; a throwing match reported and skipped), who takes a paste, which inbox entries show, pages
// by place, profile lines, group config values, the roles editor's plugin points — and, over real
// gates (core's test peers), that a plugin point granted through a role (or given to everyone by
// default on first use) lets a member make the plugin's guarded write while others are refused.
import {
  EVERYONE_ROLE,
  encodeEnvelope,
  openPluginState,
  resolvePermissions,
  type Point,
} from '@tailmesh/core'
import { groupOf, join, person, sync } from '@tailmesh/core/test/peers'
import type { ComposerContext, GroupContext, MessageView, PluginManifest } from '@tailmesh/plugin-sdk'
import { describe, expect, it, vi } from 'vitest'
import { grantDefaultPoints, type RolesPort } from './default-points'
import { configKey, configValue, withConfigValues } from './group-config'
import { shownInboxItems } from './inbox-items'
import { drawsMessages, messagePartsFor, type Guard } from './message-parts'
import { pagesAt, pageOf } from './pages'
import { offerPaste } from './paste'
import { defaultPointsOf, pluginPointsFor, withPluginPoint } from './plugin-points'
import { profileLinesFor } from './profile-fields'
import { PluginRegistry } from './registry'

/** The host's guard as the app has it: a throw is reported against the plugin, the fallback used. */
function guarded() {
  const reports: string[] = []
  const guard: Guard = (pluginId, _phase, fn, fallback) => {
    try {
      const out = fn()
      if (out instanceof Promise)
        return out.catch((e: unknown) => (reports.push(`${pluginId}: ${String(e)}`), fallback)) as typeof out
      return out
    } catch (e) {
      reports.push(`${pluginId}: ${String(e)}`)
      return fallback
    }
  }
  return { guard, reports }
}

const message = (body: string): MessageView => ({
  id: 'm1',
  author: 'u1',
  authorName: 'Ann',
  wallMs: 1,
  body,
})
const mount = () => {}

describe('message renderers and extras', () => {
  it('the first matching renderer draws the body; every matching extra adds a block; a throwing match is reported and skipped', () => {
    const registry = new PluginRegistry()
    const { guard, reports } = guarded()
    expect(drawsMessages(registry)).toBe(false)
    registry.add('messageRenderer', 'com.a.x', {
      id: 'boom',
      match: () => {
        throw new Error('bad match')
      },
      mount,
    })
    registry.add('messageRenderer', 'com.a.x', { id: 'shout', match: (m) => m.body.startsWith('📣'), mount })
    registry.add('messageRenderer', 'com.b.y', { id: 'all', match: () => true, mount })
    registry.add('messageExtra', 'com.tailmesh.link-card', {
      id: 'link',
      match: (m) => m.body.includes('http'),
      mount,
    })
    registry.add('messageExtra', 'com.b.y', { id: 'never', match: () => false, mount })
    expect(drawsMessages(registry)).toBe(true)

    const shout = messagePartsFor(registry, guard, message('📣 hi https://x.test'))!
    expect(shout.renderer?.key).toBe('com.a.x/shout')
    expect(shout.extras.map((e) => e.key)).toEqual(['com.tailmesh.link-card/link'])
    expect(reports).toEqual(['com.a.x: Error: bad match'])
    expect(messagePartsFor(registry, guard, message('plain'))!.renderer?.key).toBe('com.b.y/all')
  })

  it('nothing registered, or nothing matching: null (the row draws markdown alone)', () => {
    const registry = new PluginRegistry()
    const { guard } = guarded()
    expect(messagePartsFor(registry, guard, message('x'))).toBeNull()
    registry.add('messageExtra', 'com.b.y', { id: 'never', match: () => false, mount })
    expect(messagePartsFor(registry, guard, message('x'))).toBeNull()
  })
})

describe('paste handlers', () => {
  const data = (text: string) => ({ getData: () => text }) as unknown as DataTransfer

  it('the first handler that wants the paste takes it, with its own composer context; none: the default paste', () => {
    const registry = new PluginRegistry()
    const { guard } = guarded()
    const handled: string[] = []
    registry.add('pasteHandler', 'com.a.x', {
      id: 'sig',
      match: (d) => d.getData('text/plain').startsWith('guestbook:'),
      handle: (d, ctx) => void handled.push(`${ctx.panelId}:${d.getData('text/plain')}`),
    })
    registry.add('pasteHandler', 'com.b.y', {
      id: 'all',
      match: () => true,
      handle: () => void handled.push('b'),
    })
    const contextFor = vi.fn((pluginId: string) => ({ panelId: pluginId }) as unknown as ComposerContext)
    expect(offerPaste(registry, guard, data('guestbook: hi'), contextFor)).toBe(true)
    expect(handled).toEqual(['com.a.x:guestbook: hi'])
    expect(contextFor).toHaveBeenCalledWith('com.a.x')

    const none = new PluginRegistry()
    expect(offerPaste(none, guard, data('x'), contextFor)).toBe(false)
  })
})

describe('inbox items, pages, profile lines, group config', () => {
  it('shows inbox entries of registered types only, newest first', () => {
    const registry = new PluginRegistry()
    registry.add('inboxItemType', 'com.a.x', { type: 'wave', name: { en: 'Wave' } })
    const item = (pluginId: string, type: string, id: string, at: number) => ({
      pluginId,
      type,
      id,
      title: id,
      at,
    })
    const shown = shownInboxItems(
      [
        item('com.a.x', 'wave', 'old', 1),
        item('com.a.x', 'other', 'x', 5),
        item('com.off.z', 'wave', 'y', 6),
        item('com.a.x', 'wave', 'new', 3),
      ],
      registry,
    )
    expect(shown.map((s) => s.item.id)).toEqual(['new', 'old'])
  })

  it('lists pages by place and finds one by plugin and id', () => {
    const registry = new PluginRegistry()
    registry.add('page', 'com.a.x', { place: 'personal', id: 'mine', title: { en: 'Mine' }, mount })
    registry.add('page', 'com.a.x', { place: 'group-detail', id: 'info', title: { en: 'Info' }, mount })
    registry.add('page', 'com.b.y', { place: 'settings', id: 'about', title: { en: 'About' }, mount })
    expect(pagesAt(registry, 'personal').map((p) => p.key)).toEqual(['com.a.x/mine'])
    expect(pagesAt(registry, 'group-detail').map((p) => p.key)).toEqual(['com.a.x/info'])
    expect(pageOf(registry, 'com.b.y', 'about')?.def.place).toBe('settings')
    expect(pageOf(registry, 'com.b.y', 'mine')).toBeUndefined()
  })

  it('profile lines: async values, null and empty skipped, a throwing field reported', async () => {
    const registry = new PluginRegistry()
    const { guard, reports } = guarded()
    registry.add('profileField', 'com.a.x', {
      id: 'waves',
      label: { en: 'Waves' },
      value: async (u) => `3 from ${u}`,
    })
    registry.add('profileField', 'com.a.x', { id: 'none', label: { en: 'None' }, value: () => null })
    registry.add('profileField', 'com.a.x', { id: 'blank', label: { en: 'Blank' }, value: () => '  ' })
    registry.add('profileField', 'com.b.y', {
      id: 'bad',
      label: { en: 'Bad' },
      value: () => {
        throw new Error('no')
      },
    })
    const lines = await profileLinesFor(registry, guard, 'u1', {} as GroupContext)
    expect(lines.map((l) => [l.label.en, l.value])).toEqual([['Waves', '3 from u1']])
    expect(reports).toEqual(['com.b.y: Error: no'])
  })

  it('group config items: stored under <pluginId>.<key>, defaults for unset or wrong kinds, other keys kept', () => {
    const welcome = { key: 'welcome', label: { en: 'Welcome' }, kind: 'text' as const, default: 'Hi' }
    const limit = { key: 'limit', label: { en: 'Limit' }, kind: 'number' as const, default: 5 }
    const on = { key: 'on', label: { en: 'On' }, kind: 'boolean' as const, default: false }
    const config = { closed: false, [configKey('com.a.x', 'limit')]: 'seven' }
    expect(configValue(config, 'com.a.x', welcome)).toBe('Hi')
    expect(configValue(config, 'com.a.x', limit)).toBe(5)
    const next = withConfigValues(config, 'com.a.x', [welcome, limit, on], {
      welcome: 'Sign!',
      limit: '7',
      on: true,
    })
    expect(next).toEqual({
      closed: false,
      'com.a.x.welcome': 'Sign!',
      'com.a.x.limit': 7,
      'com.a.x.on': true,
    })
    expect(configValue(next, 'com.a.x', limit)).toBe(7)
    expect(configValue(next, 'com.b.y', welcome)).toBe('Hi')
  })
})

const PIN: Point = 'plugin.com.example.guestbook.pin'
const manifest: PluginManifest = {
  id: 'com.example.guestbook',
  name: 'Guestbook',
  version: '1.0.0',
  description: 'd',
  author: 'a',
  entry: './index.js',
  permissions: [{ point: PIN, description: 'Pin', defaultGranted: true }],
}

describe('plugin points in the roles editor', () => {
  it('lists points from manifests and registrations (registration describes), and unknown points a role holds', () => {
    const registry = new PluginRegistry()
    registry.add('permission', 'com.example.guestbook', {
      name: 'pin',
      description: { en: 'Pin a note', 'zh-CN': '置顶' },
      defaultGranted: true,
    })
    registry.add('permission', 'com.example.guestbook', {
      name: 'erase',
      description: { en: 'Erase' },
      defaultGranted: false,
    })
    const points = pluginPointsFor(registry.list('permission'), [manifest], ['message', 'plugin.com.gone.x'])
    expect(points.map((p) => [p.point, p.description?.en ?? null, p.defaultGranted])).toEqual([
      ['plugin.com.example.guestbook.erase', 'Erase', false],
      ['plugin.com.example.guestbook.pin', 'Pin a note', true],
      ['plugin.com.gone.x', null, false],
    ])
    expect(defaultPointsOf('com.example.guestbook', points)).toEqual([PIN])
    expect(withPluginPoint(['message', PIN], PIN, false)).toEqual(['message'])
    expect(withPluginPoint(['message'], PIN, true)).toEqual(['message', PIN])
  })
})

describe('plugin points over real gates', () => {
  async function guestbookGroup() {
    const { owner: alice, general } = await groupOf()
    const bob = await person('bob', alice.groupId)
    await join(alice, bob)
    await sync(alice, bob)
    const panel = await alice.actions.createPanel({
      name: 'visitors',
      type: 'plugin',
      meta: { pluginId: manifest.id, panelType: 'guestbook' },
    })
    await sync(alice, bob)
    return { alice, bob, general, panel }
  }
  const pinned = async (p: Awaited<ReturnType<typeof person>>, panel: string) =>
    (await openPluginState(p.session, manifest.id, panel)).shared().get('pinned#pin')
  const port = (p: Awaited<ReturnType<typeof person>>): RolesPort => ({
    can: (point) =>
      resolvePermissions(p.gate.authority(), p.identity.userId, undefined, Date.now()).has(point as Point),
    everyonePoints: () => p.gate.authority().roles.get(EVERYONE_ROLE)?.points ?? [],
    setEveryonePoints: (points) => p.actions.updateRole(EVERYONE_ROLE, { points }),
  })

  it('without the point a guarded write is refused by every honest peer; granted through a role, it passes', async () => {
    const { alice, bob, panel } = await guestbookGroup()
    const state = await openPluginState(bob.session, manifest.id, panel)
    await expect(state.change(() => state.shared().set('pinned#pin', 'early'))).rejects.toThrow(PIN)
    // A modified client writing anyway: Alice's gate refuses it.
    await bob.session.transact(`x/${manifest.id}/${panel}`, (doc) =>
      doc.getMap('shared').set('pinned#pin', 'forced'),
    )
    const verdict = await alice.gate.receive(encodeEnvelope(bob.outbox.at(-1)!))
    // Held aside, not applied (a grant dated later cannot make an earlier write valid).
    expect(verdict).toMatchObject({ kind: 'defer', reason: expect.stringContaining(PIN) })
    expect(await pinned(alice, panel)).toBeUndefined()

    const role = await alice.actions.createRole({ name: 'Pinners', points: [PIN] })
    await alice.actions.assignRole(bob.identity.userId, role)
    await sync(alice, bob)
    const fresh = await openPluginState(bob.session, manifest.id, panel)
    await fresh.change(() => fresh.shared().set('pinned#pin', 'Welcome, visitors'))
    await sync(bob, alice)
    expect(await pinned(alice, panel)).toBe('Welcome, visitors')
    expect(alice.gate.authority().roles.get(role)?.points).toEqual([PIN])
  })

  it('default-granted points go to everyone through a role edit (owner); a member without manageRoles is told instead', async () => {
    const { alice, bob, panel } = await guestbookGroup()
    const bobSays = await grantDefaultPoints(port(bob), [PIN])
    expect(bobSays).toEqual({
      kind: 'cannot',
      points: [PIN],
      reason: 'you may not manage roles in this group',
    })

    const aliceSays = await grantDefaultPoints(port(alice), [PIN])
    expect(aliceSays).toEqual({ kind: 'granted', points: [PIN] })
    expect(await grantDefaultPoints(port(alice), [PIN])).toEqual({ kind: 'none' })
    await sync(alice, bob)
    const state = await openPluginState(bob.session, manifest.id, panel)
    await state.change(() => state.shared().set('pinned#pin', 'from everyone'))
    await sync(bob, alice)
    expect(await pinned(alice, panel)).toBe('from everyone')
  })

  it('a manager whose role edit core refuses gets the reason, not a silent failure', async () => {
    const { alice, bob } = await guestbookGroup()
    // Bob may manage roles but does not hold the point: core lets a non-owner grant only what they hold.
    const admins = await alice.actions.createRole({ name: 'Admins', points: ['groupDetail', 'manageRoles'] })
    await alice.actions.assignRole(bob.identity.userId, admins)
    await sync(alice, bob)
    expect(port(bob).can('manageRoles')).toBe(true)
    const says = await grantDefaultPoints(port(bob), [PIN])
    expect(says.kind).toBe('cannot')
    if (says.kind === 'cannot') expect(says.reason).toContain(PIN)
  })
})

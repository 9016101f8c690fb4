// Permission points: Tailchat's thirteen, Tailmesh's call points, with their prerequisites, plus
// plugin points `plugin.<pluginId>.<name>`. A point whose prerequisite is missing has no effect.

export const PERMISSION_POINTS = [
  'viewPanel',
  'message',
  'invite',
  'unlimitedInvite',
  'editInvite',
  'groupDetail',
  'groupBaseInfo',
  'groupConfig',
  'manageUser',
  'managePanel',
  'manageInvite',
  'manageRoles',
  'deleteMessage',
  'callJoin',
  'callSpeak',
  'callModerate',
  // Beyond Tailchat's thirteen: pinning a message to its panel for everyone (group/pins.ts).
  'pinMessage',
] as const

export type BuiltinPoint = (typeof PERMISSION_POINTS)[number]
export type PluginPoint = `plugin.${string}.${string}`
export type Point = BuiltinPoint | PluginPoint

/** The point each point needs before it counts (Tailchat's `required`). */
export const PREREQUISITE: Partial<Record<BuiltinPoint, BuiltinPoint>> = {
  unlimitedInvite: 'invite',
  editInvite: 'unlimitedInvite',
  groupBaseInfo: 'groupDetail',
  groupConfig: 'groupDetail',
  manageUser: 'groupDetail',
  managePanel: 'groupDetail',
  manageInvite: 'groupDetail',
  manageRoles: 'groupDetail',
  deleteMessage: 'groupDetail',
  callJoin: 'viewPanel',
  callSpeak: 'callJoin',
  callModerate: 'callJoin',
}

/** What the fallback role ("everyone") holds in a new group. */
export const DEFAULT_EVERYONE_POINTS: readonly Point[] = ['viewPanel', 'message', 'callJoin', 'callSpeak']

/** English descriptions for settings screens; the UI translates by point name. */
export const POINT_DESCRIPTIONS: Record<BuiltinPoint, string> = {
  viewPanel: 'See panels and read their messages',
  message: 'Send messages and react',
  invite: 'Create invites that expire within 7 days',
  unlimitedInvite: 'Create invites that never expire or have no usage limit',
  editInvite: "Edit other members' invites",
  groupDetail: 'Open the group settings',
  groupBaseInfo: "Edit the group's name, avatar and description",
  groupConfig: "Edit the group's configuration",
  manageUser: 'Mute, kick and ban members',
  managePanel: 'Create, edit, move and delete panels',
  manageInvite: 'See and revoke all invites',
  manageRoles: 'Create, edit and assign roles',
  deleteMessage: "Delete and recall other members' messages",
  callJoin: 'Join calls and hear the others',
  callSpeak: 'Speak, show video and share the screen in calls',
  callModerate: 'Mute participants of a call or remove them from it',
  pinMessage: 'Pin and unpin messages in panels',
}

const PLUGIN_POINT = /^plugin\.[a-z0-9][a-z0-9.-]{0,62}\.[A-Za-z0-9_-]{1,32}$/

export function isPoint(value: unknown): value is Point {
  return (
    typeof value === 'string' &&
    ((PERMISSION_POINTS as readonly string[]).includes(value) || PLUGIN_POINT.test(value))
  )
}

/** Removes every point whose prerequisite chain is not fully present. */
export function withPrerequisites(points: Iterable<Point>): Set<Point> {
  const have = new Set(points)
  const holds = (p: Point): boolean => {
    const need = PREREQUISITE[p as BuiltinPoint]
    return have.has(p) && (need === undefined || holds(need))
  }
  return new Set([...have].filter(holds))
}

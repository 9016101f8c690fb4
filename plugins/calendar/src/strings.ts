// Every text the calendar shows, in English and Simplified Chinese (the plugin carries its own strings).
export const S = {
  panelName: { en: 'Calendar', 'zh-CN': '日历' },
  panelDescription: {
    en: 'Events with time zones, weekly repeats, RSVPs and reminders',
    'zh-CN': '带时区、每周重复、出席回复和提醒的活动',
  },
  sidebarTitle: { en: 'Upcoming events', 'zh-CN': '即将开始的活动' },
  pageTitle: { en: 'Upcoming', 'zh-CN': '即将开始' },
  pageIntro: {
    en: 'Events in every group you are in, for the next 30 days, in your time zone ({zone}).',
    'zh-CN': '你所在的所有群组未来 30 天的活动，按你的时区（{zone}）显示。',
  },
  noUpcoming: { en: 'No upcoming events.', 'zh-CN': '没有即将开始的活动。' },
  events: { en: 'Events', 'zh-CN': '活动' },
  pastEvents: { en: 'Past events', 'zh-CN': '过去的活动' },
  newEvent: { en: 'New event', 'zh-CN': '新建活动' },
  exportAll: { en: 'Export calendar (.ics)', 'zh-CN': '导出日历（.ics）' },
  exportOne: { en: 'Download .ics', 'zh-CN': '下载 .ics' },
  edit: { en: 'Edit', 'zh-CN': '编辑' },
  delete: { en: 'Delete', 'zh-CN': '删除' },
  confirmDelete: { en: 'Delete “{title}” for everyone?', 'zh-CN': '要为所有人删除“{title}”吗？' },
  noCreate: {
    en: 'Only roles with “Create calendar events” can add events here.',
    'zh-CN': '只有拥有“创建日历活动”权限的角色才能在此添加活动。',
  },
  formNew: { en: 'New event', 'zh-CN': '新建活动' },
  formEdit: { en: 'Edit event', 'zh-CN': '编辑活动' },
  title: { en: 'Title', 'zh-CN': '标题' },
  starts: { en: 'Starts', 'zh-CN': '开始' },
  ends: { en: 'Ends', 'zh-CN': '结束' },
  zone: { en: 'Time zone', 'zh-CN': '时区' },
  weekly: { en: 'Repeats every week', 'zh-CN': '每周重复' },
  location: { en: 'Location', 'zh-CN': '地点' },
  link: { en: 'Link (stream, meeting)', 'zh-CN': '链接（直播、会议）' },
  description: { en: 'Description', 'zh-CN': '描述' },
  save: { en: 'Save event', 'zh-CN': '保存活动' },
  cancel: { en: 'Cancel', 'zh-CN': '取消' },
  badTime: { en: 'Choose when the event starts and ends.', 'zh-CN': '请选择活动的开始和结束时间。' },
  everyWeek: { en: 'Every {weekday} at {time}', 'zh-CN': '每{weekday} {time}' },
  inZone: { en: '{time} in {zone}', 'zh-CN': '{zone} 时间 {time}' },
  next: { en: 'Next: {when}', 'zh-CN': '下一次：{when}' },
  now: { en: 'Happening now', 'zh-CN': '正在进行' },
  going: { en: 'Going', 'zh-CN': '参加' },
  maybe: { en: 'Maybe', 'zh-CN': '可能' },
  no: { en: 'Not going', 'zh-CN': '不参加' },
  rsvp: { en: 'Will you come?', 'zh-CN': '你会参加吗？' },
  counts: {
    en: '{going} going · {maybe} maybe · {no} not going',
    'zh-CN': '{going} 人参加 · {maybe} 人可能 · {no} 人不参加',
  },
  remind: { en: 'Remind me (minutes before; 0 = never)', 'zh-CN': '提前提醒（分钟；0 = 不提醒）' },
  remindHint: {
    en: 'Reminders are for events you answered Going or Maybe, on this device, while Tailmesh is open (even in a background tab).',
    'zh-CN': '提醒针对你回复“参加”或“可能”的活动，仅在本设备上、Tailmesh 打开时（包括后台标签页）发出。',
  },
  allow: { en: 'Allow reminder notifications', 'zh-CN': '允许提醒通知' },
  blocked: {
    en: 'The browser blocks notifications for this site: reminders cannot show.',
    'zh-CN': '浏览器已阻止此网站的通知：无法显示提醒。',
  },
  reminderBody: { en: '{when} · {where}', 'zh-CN': '{when} · {where}' },
  open: { en: 'Open', 'zh-CN': '打开' },
  inGroup: { en: '{group} · {panel}', 'zh-CN': '{group} · {panel}' },
  yourAnswer: { en: 'Your answer: {answer}', 'zh-CN': '你的回复：{answer}' },
} as const

export type Strings = { en: string; 'zh-CN': string }

/** `ctx.t(s)` with `{name}` placeholders filled in. */
export function fill(text: string, args: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in args ? String(args[k]) : m))
}

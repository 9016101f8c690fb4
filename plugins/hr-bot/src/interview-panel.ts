// The panel an approved candidate gets: a category "Interview · <name>" holding the résumé (a notes
// panel, markdown the team edits together), a voice room for the call and a whiteboard everyone in
// the group may draw on. Built through the bot kit, so with the same operations and gates as a person
// who holds managePanel.
import type { Bot } from '@tailmesh/bot-kit'
import { EVERYONE_ROLE } from '@tailmesh/core'
import { interviewPanelName, type Candidate } from './candidate'

// The built-in plugins' ids and panel types (plugins/notes, plugins/whiteboard): a bot names them as
// any panel's meta does, without loading the plugins' browser code.
const NOTES = { pluginId: 'com.tailmesh.notes', panelType: 'notes' } as const
const WHITEBOARD = { pluginId: 'com.tailmesh.whiteboard', panelType: 'whiteboard' } as const
const DRAW = `plugin.${WHITEBOARD.pluginId}.draw` as const

export interface InterviewPanel {
  category: string
  resume: string
  call: string
  whiteboard: string
}

export async function buildInterviewPanel(
  bot: Bot,
  groupId: string,
  candidate: Candidate,
): Promise<InterviewPanel> {
  const category = await bot.createPanel(groupId, { name: interviewPanelName(candidate), type: 'category' })
  const resume = await bot.createPanel(groupId, {
    name: 'Résumé',
    type: 'plugin',
    parentId: category,
    meta: { ...NOTES },
  })
  await bot.setPanelMarkdown(groupId, resume, candidate.resume || `# ${candidate.name}`)
  const call = await bot.createPanel(groupId, { name: 'Interview call', type: 'voice', parentId: category })
  const whiteboard = await bot.createPanel(groupId, {
    name: 'Whiteboard',
    type: 'plugin',
    parentId: category,
    meta: { ...WHITEBOARD },
  })
  // Everyone in the group may draw here, whatever the group's roles say elsewhere.
  await bot.addToPanel(groupId, whiteboard, { role: EVERYONE_ROLE }, { allow: [DRAW], deny: [] })
  return { category, resume, call, whiteboard }
}

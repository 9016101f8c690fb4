// The rows a section shows under its heading. In a group of up to HUGE_GROUP members: every member,
// online first. In a larger one (a creator's fans, an announcement group) the offline members, most
// of the group, are folded behind one row that says how many they are and opens them; the search box
// finds anyone, folded or not, so while searching every match is listed. Rows are made only for the
// positions asked for (the window), never for the whole section. Pure: unit-tested.
import type { MemberSection, PresenceMember } from './member-sections'

/** Above this many members the list folds each section's offline members. */
export const HUGE_GROUP = 1000

export type SectionRow =
  | { kind: 'member'; key: string; member: PresenceMember }
  | { kind: 'fold'; key: string; count: number; open: boolean }

export interface ShownSection {
  section: MemberSection
  /** The section's key (its role id, or "everyone"). */
  key: string
  /** How many rows it shows (its list's size). */
  length: number
  row(i: number): SectionRow
}

export const sectionKey = (s: MemberSection): string => s.roleId ?? 'everyone'

/** The rows of `section`; `fold` hides its offline members behind a row, `open` shows them again. */
export function shownSection(section: MemberSection, fold: boolean, open: boolean): ShownSection {
  const key = sectionKey(section)
  const { online, offline } = section
  const folded = fold && offline.length > 0
  const length = online.length + (folded ? 1 + (open ? offline.length : 0) : offline.length)
  const member = (m: PresenceMember): SectionRow => ({ kind: 'member', key: m.userId, member: m })
  return {
    section,
    key,
    length,
    row(i) {
      if (i < online.length) return member(online[i]!)
      if (!folded) return member(offline[i - online.length]!)
      if (i === online.length) return { kind: 'fold', key: `fold:${key}`, count: offline.length, open }
      return member(offline[i - online.length - 1]!)
    },
  }
}

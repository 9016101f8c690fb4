// The part of @tailmesh/core the e2e suites use, in one place.
export { createGroup, openGroup, PanelRoot, parseDocId, type OpenGroup } from '@tailmesh/core'
export type { MessageRecord, Verdict } from '@tailmesh/core'

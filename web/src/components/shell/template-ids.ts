// The templates the create-group dialog offers (what each creates: group-templates.ts).
export const TEMPLATE_IDS = ['blank', 'community', 'study'] as const
export type TemplateId = (typeof TEMPLATE_IDS)[number]

// The reactions the picker offers (a small, common set; any emoji a peer sends is still shown).
export const COMMON_EMOJI = [
  '👍',
  '👎',
  '❤️',
  '😂',
  '😮',
  '😢',
  '🎉',
  '🙏',
  '👀',
  '🔥',
  '✅',
  '❌',
  '🚀',
  '🤔',
  '👏',
  '💯',
] as const

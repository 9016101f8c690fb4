// The fixed strings every message row shows (its action buttons), translated once per language
// rather than once per row: a fast scroll through history mounts dozens of rows a frame.
import '../i18n/late'
import { computed } from 'vue'
import { i18n } from '../i18n'

export const rowLabels = computed(() => {
  void i18n.global.locale.value // recomputed when the language changes
  const t = i18n.global.t
  return {
    actions: t('chat.actions'),
    reply: t('chat.reply'),
    react: t('chat.react'),
    edit: t('chat.edit'),
    recall: t('chat.recall'),
    delete: t('chat.delete'),
    edited: t('chat.edited'),
  }
})

// Runs a management action: one at a time, its error shown (role="alert"), a short status on success.
import { ref } from 'vue'
import { useI18n } from 'vue-i18n'

export function useAction() {
  const { t } = useI18n()
  const busy = ref(false)
  const error = ref<string | null>(null)
  const done = ref(false)

  async function run(action: () => Promise<unknown>): Promise<boolean> {
    if (busy.value) return false
    busy.value = true
    error.value = null
    done.value = false
    try {
      await action()
      done.value = true
      return true
    } catch (e) {
      error.value = t('errors.generic', { message: e instanceof Error ? e.message : String(e) })
      return false
    } finally {
      busy.value = false
    }
  }

  return { busy, error, done, run }
}

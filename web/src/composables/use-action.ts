// A button's action: busy while it runs (so the button can say so and not run twice), and its failure
// as a message for a role="alert" line instead of an unhandled rejection.
import { ref } from 'vue'
import { useI18n } from 'vue-i18n'

export function useAction() {
  const { t } = useI18n()
  const busy = ref(false)
  const error = ref<string | null>(null)

  async function run(work: () => Promise<unknown>): Promise<void> {
    busy.value = true
    error.value = null
    try {
      await work()
    } catch (e) {
      error.value = t('errors.generic', { message: e instanceof Error ? e.message : String(e) })
    } finally {
      busy.value = false
    }
  }

  return { busy, error, run }
}

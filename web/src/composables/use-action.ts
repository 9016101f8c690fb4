// A button's action: one at a time (busy while it runs, so the button can say so and a second click
// does not run it twice), its failure as a message for a role="alert" line instead of an unhandled
// rejection, and `done` once it succeeded, for a short status (manage's ActionStatus).
import { ref } from 'vue'
import { useI18n } from 'vue-i18n'

export function useAction() {
  const { t } = useI18n()
  const busy = ref(false)
  const error = ref<string | null>(null)
  const done = ref(false)

  /** Runs the action unless one is running; whether it ran and succeeded. */
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

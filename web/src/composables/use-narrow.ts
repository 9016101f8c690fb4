// Whether the shell is in its phone layout (components/shell/drawer.ts's breakpoint), for what CSS
// cannot change, such as a placeholder's text. One media query for the page, followed as it changes.
import { shallowRef, type Ref } from 'vue'
import { PHONE_QUERY } from '../components/shell/drawer'

let narrow: Ref<boolean> | null = null

export function useNarrow(): Readonly<Ref<boolean>> {
  if (!narrow) {
    const query = window.matchMedia(PHONE_QUERY)
    const flag = shallowRef(query.matches)
    query.addEventListener('change', (e) => (flag.value = e.matches))
    narrow = flag
  }
  return narrow
}

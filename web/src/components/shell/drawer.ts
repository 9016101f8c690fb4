// The phone layout's drawer (issue 21): under 720 px the rail of groups (and, on a group's screen,
// its panel list) slides in over the page from the header's menu button. One flag for the whole
// shell, so the rail (App.vue) and the panel list (GroupView.vue) open and close together.
import { shallowRef } from 'vue'

export const drawerOpen = shallowRef(false)

/** The breakpoint below which the shell is one column (shell.css uses the same). */
export const PHONE_QUERY = '(max-width: 720px)'

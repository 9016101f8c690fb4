// The app's one TailmeshClient. Stores reach core only through it.
import { createTailmeshClient } from './client'

export const tailmesh = createTailmeshClient()

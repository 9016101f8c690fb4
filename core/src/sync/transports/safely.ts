/** Calls a link handler so that nothing it throws can break the transport's own state. */
export function safely(run: () => void): void {
  try {
    run()
  } catch (e) {
    console.error('tailmesh: a transport handler threw', e)
  }
}

/** A time of day (with the date when it is not today), in the UI's language. */
export function formatTime(ms: number, locale: string, now = Date.now()): string {
  const date = new Date(ms)
  const sameDay = new Date(now).toDateString() === date.toDateString()
  return sameDay
    ? date.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleString(locale, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })
}

// Shared Intl.DateTimeFormat instances: building one costs far more than formatting with it, and a
// message list formats a time for every row it shows. One per (locale, options), a handful in all.
const formats = new Map<string, Intl.DateTimeFormat>()
const MAX_FORMATS = 32

/** By the options object itself first: rows pass module constants, so most calls build no key. */
const byOptions = new WeakMap<Intl.DateTimeFormatOptions, Map<string, Intl.DateTimeFormat>>()

export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  let perLocale = byOptions.get(options)
  if (!perLocale) byOptions.set(options, (perLocale = new Map()))
  let f = perLocale.get(locale)
  if (!f) perLocale.set(locale, (f = byValue(locale, options)))
  return f
}

function byValue(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}\n${JSON.stringify(options)}`
  let f = formats.get(key)
  if (!f) {
    if (formats.size >= MAX_FORMATS) formats.delete(formats.keys().next().value as string)
    formats.set(key, (f = new Intl.DateTimeFormat(locale, options)))
  }
  return f
}

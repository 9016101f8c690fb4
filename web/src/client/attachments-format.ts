// File sizes as people read them, in the UI's language (B, kB, MB with one decimal).
const formats = new Map<string, Intl.NumberFormat>()

function format(locale: string, unit: 'byte' | 'kilobyte' | 'megabyte'): Intl.NumberFormat {
  const key = `${locale}/${unit}`
  let f = formats.get(key)
  if (!f)
    formats.set(
      key,
      (f = new Intl.NumberFormat(locale, {
        style: 'unit',
        unit,
        unitDisplay: 'short',
        maximumFractionDigits: 1,
      })),
    )
  return f
}

export function formatBytes(bytes: number, locale: string): string {
  if (bytes < 1024) return format(locale, 'byte').format(bytes)
  if (bytes < 1024 * 1024) return format(locale, 'kilobyte').format(bytes / 1024)
  return format(locale, 'megabyte').format(bytes / (1024 * 1024))
}

// File sizes as people read them, in the UI's language: bytes spelt out with the language's plural
// ("1 byte", "13 bytes", "13字节"), then kB and MB with one decimal.
const formats = new Map<string, Intl.NumberFormat>()

function format(locale: string, unit: 'byte' | 'kilobyte' | 'megabyte'): Intl.NumberFormat {
  // "13 byte" is what the short form gives in English: the long one is the readable plural.
  const key = `${locale}/${unit}`
  let f = formats.get(key)
  if (!f)
    formats.set(
      key,
      (f = new Intl.NumberFormat(locale, {
        style: 'unit',
        unit,
        unitDisplay: unit === 'byte' ? 'long' : 'short',
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

// Puts the everyday features' English messages in place when one of them loads: they stay out of the
// app shell (bench/bundle-size.bench.ts). Chinese is part of zh-CN.all.ts, which loads on its own.
import { i18n } from '.'
import { everydayEn } from './everyday.en'

// The i18n instance is typed with the shell's messages; `everyday` is added beside them here.
;(i18n.global.mergeLocaleMessage as (locale: string, messages: object) => void)('en', {
  everyday: everydayEn,
})

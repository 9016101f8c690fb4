// A message body's remote images, behind "Load image" (markdown/remote-images.ts), kept so as the
// body's HTML, the group's "always load" choice or the language change.
import '../i18n/late'
import { watch, type Ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { alwaysLoadImages, showRemoteImages } from '../markdown/remote-images'

export function useRemoteImages(
  body: Readonly<Ref<HTMLElement | null>>,
  html: () => string,
  groupId: () => string | undefined,
): void {
  const { t, locale } = useI18n()
  watch(
    [html, body, () => alwaysLoadImages(groupId()), locale],
    ([, el, always]) => {
      if (el)
        showRemoteImages(el, {
          always,
          loadLabel: t('chat.loadImage'),
          from: (host) => t('chat.imageFrom', { host }),
        })
    },
    { flush: 'post', immediate: true },
  )
}

// The composer's files: chosen with the Attach button, pasted, or dropped on the composer. A paste that
// a plugin already took (defaultPrevented) is left alone. Each file is read (and an image's thumbnail
// made) as it is added; one that is too large, or more than a message carries, is refused with a
// message that says why.
import '../i18n/late'
import { onBeforeUnmount, onMounted, shallowRef, type Ref } from 'vue'
import { useI18n } from 'vue-i18n'
import {
  ATTACHMENT_LIMITS,
  AttachmentTooLargeError,
  prepareAttachment,
  type AttachmentDraft,
} from '../client/attachments'
import { formatBytes } from '../client/attachments-format'

export interface AttachmentDrafts {
  drafts: Ref<readonly AttachmentDraft[]>
  /** Files being read now (names), for a status line. */
  preparing: Ref<readonly string[]>
  error: Ref<string | null>
  add(files: readonly File[]): Promise<void>
  remove(key: string): void
  clear(): void
}

export function useAttachmentDrafts(target: Readonly<Ref<HTMLElement | null>>): AttachmentDrafts {
  const { t, locale } = useI18n()
  const drafts = shallowRef<readonly AttachmentDraft[]>([])
  const preparing = shallowRef<readonly string[]>([])
  const error = shallowRef<string | null>(null)
  const size = (n: number) => formatBytes(n, locale.value)

  async function add(files: readonly File[]): Promise<void> {
    error.value = null
    for (const file of files) {
      if (drafts.value.length + preparing.value.length >= ATTACHMENT_LIMITS.perMessage) {
        error.value = t('attachments.tooMany', { max: ATTACHMENT_LIMITS.perMessage })
        return
      }
      preparing.value = [...preparing.value, file.name]
      try {
        const draft = await prepareAttachment(file)
        drafts.value = [...drafts.value, draft]
      } catch (e) {
        error.value =
          e instanceof AttachmentTooLargeError
            ? t('attachments.tooLarge', {
                name: file.name,
                size: size(file.size),
                max: size(ATTACHMENT_LIMITS.maxBytes),
              })
            : t('attachments.unreadable', { name: file.name })
      } finally {
        const i = preparing.value.indexOf(file.name)
        preparing.value = preparing.value.filter((_, j) => j !== i)
      }
    }
  }

  function remove(key: string): void {
    drafts.value = drafts.value.filter((d) => d.key !== key)
    error.value = null
  }

  function clear(): void {
    drafts.value = []
    error.value = null
  }

  const filesOf = (data: DataTransfer | null): File[] => (data ? [...data.files] : [])
  const onPaste = (e: ClipboardEvent) => {
    const files = filesOf(e.clipboardData)
    if (e.defaultPrevented || !files.length) return
    e.preventDefault()
    void add(files)
  }
  const onDragOver = (e: DragEvent) => {
    if (e.dataTransfer?.types.includes('Files')) e.preventDefault()
  }
  const onDrop = (e: DragEvent) => {
    const files = filesOf(e.dataTransfer)
    if (!files.length) return
    e.preventDefault()
    void add(files)
  }
  onMounted(() => {
    target.value?.addEventListener('paste', onPaste)
    target.value?.addEventListener('dragover', onDragOver)
    target.value?.addEventListener('drop', onDrop)
  })
  onBeforeUnmount(() => {
    target.value?.removeEventListener('paste', onPaste)
    target.value?.removeEventListener('dragover', onDragOver)
    target.value?.removeEventListener('drop', onDrop)
  })

  return { drafts, preparing, error, add, remove, clear }
}

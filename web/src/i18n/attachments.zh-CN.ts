// 消息中文件的简体中文（typed against attachments.en.ts）。
import type { AttachmentsSchema } from './attachments.en'

export const attachmentsZhCN: AttachmentsSchema = {
  attach: '添加文件',
  chooseFiles: '要添加的文件',
  pending: '待发送的文件',
  remove: '移除 {name}',
  preparing: '正在准备 {name}…',
  peerOnly: '超过 {limit}：仅点对点发送。离线的成员需与持有该文件的人同时在线时才能收到。',
  tooLarge: '{name} 大小为 {size}：文件最大为 {max}。',
  tooMany: '一条消息最多可带 {max} 个文件。',
  notConnected: '群组连接后才能发送文件。',
  unreadable: '无法读取 {name}。',
  waiting: '正在等待其他成员发来文件…',
  openImage: '打开图片 {name}',
  download: '下载 {name}',
  fullImage: '图片 {name}',
  close: '关闭',
  viewer: {
    zoomIn: '放大',
    zoomOut: '缩小',
    fit: '适应屏幕',
    zoom: '缩放 {percent}%',
    original: '打开原图',
    download: '下载',
    previous: '上一张图片',
    next: '下一张图片',
    position: '第 {n} 张，共 {total} 张',
    tools: '图片工具',
  },
  dropHint: '拖放文件以添加',
}

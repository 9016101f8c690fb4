// Every text the whiteboard shows, in English and Simplified Chinese (the plugin carries its own strings).
export const S = {
  panelName: { en: 'Whiteboard', 'zh-CN': '白板' },
  panelDescription: {
    en: 'A board the whole group draws on together',
    'zh-CN': '全群成员一起绘制的白板',
  },
  toolbar: { en: 'Whiteboard tools', 'zh-CN': '白板工具' },
  select: { en: 'Select', 'zh-CN': '选择' },
  pen: { en: 'Pen', 'zh-CN': '画笔' },
  rect: { en: 'Rectangle', 'zh-CN': '矩形' },
  ellipse: { en: 'Ellipse', 'zh-CN': '椭圆' },
  arrow: { en: 'Arrow', 'zh-CN': '箭头' },
  line: { en: 'Line', 'zh-CN': '直线' },
  text: { en: 'Text', 'zh-CN': '文字' },
  sticky: { en: 'Sticky note', 'zh-CN': '便利贴' },
  pan: { en: 'Pan', 'zh-CN': '平移' },
  color: { en: 'Colour', 'zh-CN': '颜色' },
  undo: { en: 'Undo', 'zh-CN': '撤销' },
  redo: { en: 'Redo', 'zh-CN': '重做' },
  remove: { en: 'Delete selected', 'zh-CN': '删除所选' },
  zoomIn: { en: 'Zoom in', 'zh-CN': '放大' },
  zoomOut: { en: 'Zoom out', 'zh-CN': '缩小' },
  resetView: { en: 'Reset view', 'zh-CN': '重置视图' },
  exportPng: { en: 'Export PNG', 'zh-CN': '导出 PNG' },
  exportSvg: { en: 'Export SVG', 'zh-CN': '导出 SVG' },
  canvas: {
    en: 'Whiteboard: draw with the pointer; arrow keys move the selection or the view, Delete removes it',
    'zh-CN': '白板：用指针绘制；方向键移动所选内容或视图，Delete 键删除',
  },
  textInput: { en: 'Text on the board', 'zh-CN': '白板上的文字' },
  stickyInput: { en: 'Sticky note text', 'zh-CN': '便利贴文字' },
  viewOnly: {
    en: 'You can watch this whiteboard but not draw on it: drawing needs the whiteboard’s “Draw” permission.',
    'zh-CN': '你可以观看此白板，但不能在上面绘制：绘制需要白板的“绘制”权限。',
  },
  contents: { en: 'On the board', 'zh-CN': '白板上的内容' },
  more: { en: 'and {n} more', 'zh-CN': '还有 {n} 项' },
  empty: { en: 'Nothing on the board yet.', 'zh-CN': '白板上还没有内容。' },
  others: { en: 'Others here', 'zh-CN': '在此的其他人' },
  zoom: { en: 'Zoom {n} %', 'zh-CN': '缩放 {n}%' },
  by: { en: '{what} by {who}', 'zh-CN': '{who} 的{what}' },
  kind: {
    pen: { en: 'Pen stroke', 'zh-CN': '笔迹' },
    rect: { en: 'Rectangle', 'zh-CN': '矩形' },
    ellipse: { en: 'Ellipse', 'zh-CN': '椭圆' },
    arrow: { en: 'Arrow', 'zh-CN': '箭头' },
    line: { en: 'Line', 'zh-CN': '直线' },
    text: { en: 'Text', 'zh-CN': '文字' },
    sticky: { en: 'Sticky note', 'zh-CN': '便利贴' },
  },
} as const

/** Fills `{name}` placeholders. */
export const fill = (s: string, values: Record<string, string | number>): string =>
  s.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m))

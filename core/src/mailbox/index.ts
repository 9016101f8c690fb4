// The /mailbox wire protocol: numbers, frame codec, and the bytes a topic key signs.
export * from './codes'
export * from './frames'
export * from './signing'

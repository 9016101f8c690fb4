// @tailmesh/plugin-sdk: everything a plugin may use. First-party plugins use nothing else.
export * from './manifest'
export * from './context'
export * from './api'
export * from './define'
export * from './state'
export * from './locale'
export * from './style'

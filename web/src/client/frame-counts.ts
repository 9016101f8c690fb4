// Frames received per transport kind on this page: replica-sync counts them, the test hooks read them.
// A module of its own so the lazily loaded sync engine and the app shell share it without importing
// each other.
export const framesByKind = new Map<string, number>()

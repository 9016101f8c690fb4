import { defineConfig } from 'vitest/config'

// One config for the PWA build (web/, from the slice issue on) and for every Vitest suite.
// Unit and integration suites live next to the code as *.test.ts; browser end-to-end suites
// as *.e2e.ts, run by their own project so `npm test` can report them separately.
export default defineConfig({
  test: {
    pool: 'forks',
    projects: [
      {
        test: {
          name: 'unit',
          include: ['core/**/*.test.ts', 'relay/**/*.test.ts', 'web/**/*.test.ts', 'plugins/**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**'],
          setupFiles: ['core/test/node-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['**/*.e2e.ts'],
          exclude: ['**/node_modules/**', '**/dist/**'],
          setupFiles: ['core/test/node-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
})

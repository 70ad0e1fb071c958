import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src-main/**/*.test.ts', 'test-support/**/*.test.ts', 'src-preload/**/*.test.ts', 'src-renderer/**/*.test.{ts,tsx}', 'e2e/**/*.e2e.ts'],
    testTimeout: 60_000,
    // Polled expectations wait for real work (tagging, a server restart): give them room.
    expect: { poll: { timeout: 15_000, interval: 100 } },
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default'],
  },
});

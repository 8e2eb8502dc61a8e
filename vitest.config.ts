import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Tests and the processes they start never read a developer's .env (see src/env-file.ts).
    env: { STORY_DESK_ENV_FILE: 'off' },
    // One temporary folder per run; each test file writes (index, model cache, feedback database) under it, never .data/.
    globalSetup: ['tests/setup/run-dir.ts'],
    setupFiles: ['tests/setup/test-env.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});

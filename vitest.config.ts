import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Tests and the processes they start never read a developer's .env (see src/env-file.ts).
    env: { STORY_DESK_ENV_FILE: 'off' },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});

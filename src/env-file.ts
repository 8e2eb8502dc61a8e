// Entry points (npm start and the scripts) read `.env` by importing this module first. The library and the
// tests never do: a developer's .env must not change what the tests run with. STORY_DESK_ENV_FILE names
// another file, or `off` to read none (the test config sets that, so child processes of tests ignore .env).
import dotenv from 'dotenv';

const file = process.env.STORY_DESK_ENV_FILE?.trim() || '.env';
// quiet: dotenv 17 otherwise prints a banner on stdout, which breaks `ask --json | jq`.
if (file !== 'off') dotenv.config({ path: file, quiet: true });

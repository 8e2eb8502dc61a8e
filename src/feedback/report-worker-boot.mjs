// Starts the report process from TypeScript source: registers the TypeScript hooks the bot and the scripts run
// with (scripts/ts-hooks.mjs), then the report itself.
await import('../../scripts/ts-hooks.mjs');
await import('./report-worker.ts');

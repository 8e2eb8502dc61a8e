// Starts the report worker from TypeScript source: a worker thread does not inherit the tsx loader
// the bot and the scripts run with, so it registers it itself.
import { register } from 'tsx/esm/api';

register();
await import('./report-worker.ts');

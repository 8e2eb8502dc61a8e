// Starts the report process from TypeScript source: registers the tsx loader the bot and the scripts run
// with, then the report itself.
import { register } from 'tsx/esm/api';

register();
await import('./report-worker.ts');

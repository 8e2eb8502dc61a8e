// The button table: a click is routed by its custom id's prefix.
import more from './more.js';
import sourcesPage from './sources-page.js';
import vote from './vote.js';
import type { Button } from './types.js';

export const buttons: readonly Button[] = [more, vote, sourcesPage];

export const buttonsByPrefix: ReadonlyMap<string, Button> = new Map(buttons.map((b) => [b.prefix, b]));

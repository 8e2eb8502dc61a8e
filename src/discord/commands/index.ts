// The command table: deploy-commands registers exactly these, and the interaction router dispatches to them.
// A new command is one module here (data + execute) and one line below.
import add from './add.js';
import ask from './ask.js';
import askAboutMessage from './ask-about-message.js';
import help from './help.js';
import remove from './remove.js';
import report from './report.js';
import sources from './sources.js';
import type { Command } from './types.js';

export const commands: readonly Command[] = [ask, sources, help, askAboutMessage, report, add, remove];

export const commandsByName: ReadonlyMap<string, Command> = new Map(commands.map((c) => [c.data.name, c]));

export function commandDefinitions() {
  return commands.map((c) => c.data.toJSON());
}

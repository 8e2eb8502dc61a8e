// Readers asking while an editor adds a file, through the real bot and the fake Discord: how long each /ask
// waited for its acknowledgement and its answer, and how long the add took to be answered (added or refused).
// Shared by tests/e2e/hostile-add.test.ts (floors) and `npm run ops-report` (the figures).
import { snowflake, type FakeDiscord, type RecordedRequest } from '../e2e/fake-discord.js';

export interface AddStall {
  /** The editor's reply: what was added, or why not. */
  reply: string;
  /** From the /add to its reply. */
  addMs: number;
  /** Per /ask, from when it was due: to the acknowledgement (Discord wants it within 3 s), and to the answer. */
  ackMs: number[];
  answerMs: number[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function addWhileReadersAsk(
  fake: FakeDiscord,
  where: { guildId: string; channelId: string },
  file: { name: string; contentType: string; bytes: Buffer },
  options: { everyMs?: number; timeoutMs?: number } = {},
): Promise<AddStall> {
  const { guildId, channelId } = where;
  const timeoutMs = options.timeoutMs ?? 180_000;
  const attachment = fake.attachment({ channelId, optionName: 'file', ...file });
  const started = Date.now();
  const add = fake.sendInteraction({
    guildId,
    channelId,
    user: { id: snowflake(), username: 'editor' },
    commandName: 'add',
    permissions: '32',
    options: [attachment.option],
    resolved: attachment.resolved,
  });
  const edited = fake.waitForRequest((r) => r.method === 'PATCH' && r.path.includes(add.token), timeoutMs);
  let done = false;
  void edited.then(
    () => (done = true),
    () => (done = true),
  );
  const asked: { token: string; at: number }[] = [];
  const questions = ['What did Putin give Kim as a gift?', 'Where was the welcoming ceremony held?', 'What does the treaty say about defence?'];
  // A new reader each time: the per-user rate limit is not what is measured. The readers share this process's
  // event loop with the bot: while a parse holds it, no question can be sent, so each is timed from when it was
  // due, not from when it went out (else a frozen bot would look fast: it would only be asked after thawing).
  const everyMs = options.everyMs ?? 250;
  while (!done) {
    const due = started + asked.length * everyMs;
    if (Date.now() < due) {
      await sleep(due - Date.now());
      continue;
    }
    const user = { id: snowflake(), username: `reader${asked.length}` };
    const value = questions[asked.length % questions.length]!;
    const { token } = fake.sendInteraction({ guildId, channelId, user, commandName: 'ask', options: [{ name: 'question', type: 3, value }] });
    asked.push({ token, at: due });
  }
  const reply = (await edited).body.content as string;
  const addMs = Date.now() - started;
  const ackMs: number[] = [];
  const answerMs: number[] = [];
  for (const { token, at } of asked) {
    const mine = (r: RecordedRequest) => r.path.includes(token);
    const ack = await fake.waitForRequest((r) => mine(r) && r.method === 'POST' && r.path.endsWith('/callback'), 30_000);
    ackMs.push(ack.at - at);
    const final = ack.body?.type === 4 ? ack : await fake.waitForRequest((r) => mine(r) && r.method === 'PATCH', 30_000);
    answerMs.push(final.at - at);
  }
  return { reply, addMs, ackMs, answerMs };
}

// A fake Discord for end-to-end tests: REST and gateway on 127.0.0.1, enough of both for the real
// discord.js client to log in, receive messages and interactions, and reply. Records every request.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface FakeUser {
  id: string;
  username: string;
  bot?: boolean;
}

export interface FakeGuild {
  id: string;
  name?: string;
  channels: { id: string; name?: string }[];
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: any;
  at: number;
}

interface Fault {
  match: (r: RecordedRequest) => boolean;
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface Session {
  socket: WebSocket;
  id: string;
  seq: number;
  shard: [number, number];
  identified: boolean;
}

const EPOCH = 1420070400000n;
let counter = 0n;
export function snowflake(): string {
  return String(((BigInt(Date.now()) - EPOCH) << 22n) + counter++);
}

/** A snowflake that `(id >> 22) % count === shard` places on the given shard. */
export function snowflakeForShard(shard: number, count: number): string {
  for (;;) {
    const id = snowflake();
    if (Number((BigInt(id) >> 22n) % BigInt(count)) === shard) return id;
    counter += 1n << 22n; // step the timestamp part
  }
}

export class FakeDiscord {
  readonly requests: RecordedRequest[] = [];
  readonly identifies: { shard?: [number, number] }[] = [];
  resumeCount = 0;
  readyCount = 0;
  readonly botUser: Required<FakeUser> & { discriminator: string; global_name: null; avatar: null };
  private readonly faults: Fault[] = [];
  private held: (() => void)[] | null = null;
  private readonly sessions = new Set<Session>();
  private readonly waiters: (() => void)[] = [];
  private http!: Server;
  private wss!: WebSocketServer;
  private port = 0;

  private constructor(
    readonly guilds: FakeGuild[],
    private readonly heartbeatMs: number,
    readonly shardCount: number,
  ) {
    this.botUser = { id: snowflake(), username: 'StoryDesk', bot: true, discriminator: '0', global_name: null, avatar: null };
  }

  static async start(options: { guilds?: FakeGuild[]; heartbeatMs?: number; shards?: number } = {}): Promise<FakeDiscord> {
    const guilds = options.guilds ?? [{ id: snowflake(), name: 'Newsroom', channels: [{ id: snowflake(), name: 'general' }] }];
    const fake = new FakeDiscord(guilds, options.heartbeatMs ?? 250, options.shards ?? 1);
    await fake.listen();
    return fake;
  }

  get applicationId(): string {
    return this.botUser.id;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get identifyCount(): number {
    return this.identifies.length;
  }

  /** The next request matching gets this response instead (once per call). */
  failNext(match: (r: RecordedRequest) => boolean, response: { status: number; body?: unknown; headers?: Record<string, string> }): void {
    this.faults.push({ match, ...response });
  }

  requestsMatching(match: (r: RecordedRequest) => boolean): RecordedRequest[] {
    return this.requests.filter(match);
  }

  /** Resolves with the first request (already made or still to come) that matches. */
  waitForRequest(match: (r: RecordedRequest) => boolean, timeoutMs = 10_000): Promise<RecordedRequest> {
    return this.waitFor(() => this.requests.find(match), timeoutMs, 'request');
  }

  waitForReady(count = 1, timeoutMs = 15_000): Promise<void> {
    return this.waitFor(() => (this.readyCount >= count ? true : undefined), timeoutMs, `${count} READY/RESUMED`).then(() => undefined);
  }

  private waitFor<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = probe();
        if (found === undefined) return false;
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(listener);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new Error(`fake Discord: timed out waiting for ${what}`));
      }, timeoutMs);
      const listener = () => {
        if (check()) this.waiters.splice(this.waiters.indexOf(listener), 1);
      };
      if (!check()) this.waiters.push(listener);
    });
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  // ---------- gateway events a test sends ----------

  sendMessage(options: { guildId?: string; channelId: string; author: FakeUser; content: string; mentions?: FakeUser[] }): string {
    const id = snowflake();
    const message = this.messagePayload(id, options.channelId, options.guildId, options.author, options.content, options.mentions ?? []);
    this.dispatch('MESSAGE_CREATE', options.guildId ? message : { ...message, channel_type: 1 }, options.guildId);
    return id;
  }

  sendInteraction(options: {
    guildId?: string;
    channelId: string;
    user: FakeUser;
    commandName: string;
    options?: { name: string; type: number; value: unknown }[];
    targetMessage?: { id: string; content: string; author: FakeUser };
  }): { id: string; token: string } {
    const id = snowflake();
    const token = `token-${id}`;
    const user = this.userPayload(options.user);
    const data = options.targetMessage
      ? {
          id: snowflake(),
          name: options.commandName,
          type: 3,
          target_id: options.targetMessage.id,
          resolved: { messages: { [options.targetMessage.id]: this.messagePayload(options.targetMessage.id, options.channelId, options.guildId, options.targetMessage.author, options.targetMessage.content, []) } },
        }
      : { id: snowflake(), name: options.commandName, type: 1, options: options.options ?? [] };
    const payload = {
      id,
      application_id: this.applicationId,
      type: 2,
      data,
      channel_id: options.channelId,
      channel: { id: options.channelId, type: options.guildId ? 0 : 1 },
      token,
      version: 1,
      app_permissions: '8',
      locale: 'en-US',
      entitlements: [],
      authorizing_integration_owners: {},
      context: options.guildId ? 0 : 1,
      ...(options.guildId
        ? { guild_id: options.guildId, guild_locale: 'en-US', member: { user, roles: [], permissions: '8', joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 } }
        : { user }),
    };
    this.dispatch('INTERACTION_CREATE', payload, options.guildId);
    return { id, token };
  }

  /** Closes every live gateway socket with a close code (4000: resumable; 4009 and others: session gone). */
  closeGateway(code = 4000): void {
    for (const session of this.sessions) session.socket.close(code, 'fake close');
  }

  /** While held, an IDENTIFY gets no READY: a gateway slow to let the bot back in. */
  holdReady(): void {
    this.held ??= [];
  }

  releaseReady(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const identify of held) identify();
  }

  async close(): Promise<void> {
    for (const session of this.sessions) session.socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  // ---------- internals ----------

  private async listen(): Promise<void> {
    this.http = createServer((req, res) => void this.handleRest(req, res));
    this.wss = new WebSocketServer({ noServer: true });
    this.http.on('upgrade', (req, socket, head) => {
      this.wss.handleUpgrade(req, socket, head, (ws) => this.handleSocket(ws));
    });
    await new Promise<void>((resolve) => this.http.listen(0, '127.0.0.1', resolve));
    this.port = (this.http.address() as AddressInfo).port;
  }

  private shardOf(guildId: string | undefined, count: number): number {
    return guildId ? Number((BigInt(guildId) >> 22n) % BigInt(count)) : 0;
  }

  private dispatch(type: string, data: unknown, guildId?: string): void {
    for (const session of this.sessions) {
      if (!session.identified || this.shardOf(guildId, session.shard[1]) !== session.shard[0]) continue;
      this.send(session, { op: 0, t: type, s: ++session.seq, d: data });
    }
  }

  private send(session: Session, payload: unknown): void {
    if (session.socket.readyState === session.socket.OPEN) session.socket.send(JSON.stringify(payload));
  }

  private handleSocket(socket: WebSocket): void {
    const session: Session = { socket, id: snowflake(), seq: 0, shard: [0, 1], identified: false };
    this.sessions.add(session);
    socket.on('close', () => this.sessions.delete(session));
    socket.on('message', (raw) => {
      const packet = JSON.parse(String(raw)) as { op: number; d: any };
      if (packet.op === 1) this.send(session, { op: 11 });
      else if (packet.op === 2) this.identify(session, packet.d);
      else if (packet.op === 6) {
        session.identified = true;
        session.seq = packet.d.seq ?? 0;
        this.resumeCount++;
        this.send(session, { op: 0, t: 'RESUMED', s: ++session.seq, d: {} });
        this.readyCount++;
        this.notify();
      }
    });
    this.send(session, { op: 10, d: { heartbeat_interval: this.heartbeatMs } });
  }

  private identify(session: Session, d: { shard?: [number, number] }): void {
    if (this.held) return void this.held.push(() => this.identify(session, d));
    session.identified = true;
    session.shard = d.shard ?? [0, 1];
    this.identifies.push({ shard: d.shard });
    const guilds = this.guilds.filter((g) => this.shardOf(g.id, session.shard[1]) === session.shard[0]);
    this.send(session, {
      op: 0,
      t: 'READY',
      s: ++session.seq,
      d: {
        v: 10,
        user: { ...this.botUser, verified: true, flags: 0 },
        guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
        session_id: session.id,
        resume_gateway_url: this.gatewayUrl(),
        application: { id: this.applicationId, flags: 0 },
        shard: session.shard,
        private_channels: [],
      },
    });
    for (const guild of guilds) this.send(session, { op: 0, t: 'GUILD_CREATE', s: ++session.seq, d: this.guildPayload(guild) });
    this.readyCount++;
    this.notify();
  }

  private gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway`;
  }

  private guildPayload(guild: FakeGuild) {
    const now = new Date().toISOString();
    return {
      id: guild.id,
      name: guild.name ?? 'Guild',
      icon: null,
      owner_id: snowflake(),
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      mfa_level: 0,
      system_channel_id: null,
      system_channel_flags: 0,
      premium_tier: 0,
      preferred_locale: 'en-US',
      nsfw_level: 0,
      features: [],
      roles: [{ id: guild.id, name: '@everyone', permissions: '8', position: 0, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 }],
      emojis: [],
      stickers: [],
      members: [{ user: this.botUser, roles: [], joined_at: now, deaf: false, mute: false, flags: 0 }],
      channels: guild.channels.map((c, position) => ({ id: c.id, type: 0, guild_id: guild.id, name: c.name ?? `channel-${position}`, position, permission_overwrites: [], nsfw: false, parent_id: null })),
      threads: [],
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
      member_count: 2,
      joined_at: now,
      large: false,
      unavailable: false,
    };
  }

  private userPayload(user: FakeUser) {
    return { id: user.id, username: user.username, discriminator: '0', global_name: user.username, avatar: null, bot: user.bot ?? false };
  }

  private messagePayload(id: string, channelId: string, guildId: string | undefined, author: FakeUser, content: string, mentions: FakeUser[]) {
    return {
      id,
      channel_id: channelId,
      ...(guildId ? { guild_id: guildId, member: { roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 } } : {}),
      author: this.userPayload(author),
      content,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: mentions.map((u) => this.userPayload(u)),
      mention_roles: [],
      attachments: [],
      embeds: [],
      pinned: false,
      type: 0,
      flags: 0,
    };
  }

  private async handleRest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = decodeURIComponent(url.pathname).replace(/^\/api(\/v\d+)?/, '');
    const raw = await new Promise<Buffer>((resolve) => {
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c)).on('end', () => resolve(Buffer.concat(parts)));
    });
    const request: RecordedRequest = { method: req.method ?? 'GET', path, query: url.searchParams, body: parseBody(raw, req.headers['content-type']), at: Date.now() };
    this.requests.push(request);
    this.notify();

    const fault = this.faults.findIndex((f) => f.match(request));
    if (fault >= 0) {
      const { status, body, headers } = this.faults.splice(fault, 1)[0]!;
      return json(res, status, body ?? { message: 'fake failure', code: 0 }, headers);
    }
    const m = request.method;
    let match: RegExpMatchArray | null;
    if (m === 'GET' && path === '/gateway/bot') {
      return json(res, 200, { url: this.gatewayUrl(), shards: this.shardCount, session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 16 } });
    }
    if (m === 'GET' && path === '/gateway') return json(res, 200, { url: this.gatewayUrl() });
    if (m === 'GET' && path === '/users/@me') return json(res, 200, this.botUser);
    if (m === 'POST' && (match = path.match(/^\/channels\/(\d+)\/typing$/))) return empty(res);
    if (m === 'POST' && (match = path.match(/^\/channels\/(\d+)\/messages$/))) {
      return json(res, 200, { ...this.messagePayload(snowflake(), match[1]!, undefined, this.botUser, request.body?.content ?? '', []), message_reference: request.body?.message_reference });
    }
    if (m === 'POST' && /^\/interactions\/\d+\/[^/]+\/callback$/.test(path)) {
      if (url.searchParams.get('with_response') === 'true') return json(res, 200, { interaction: { id: path.split('/')[2], type: 2 }, resource: { type: request.body?.type } });
      return empty(res);
    }
    if ((m === 'PATCH' || m === 'POST') && (match = path.match(/^\/webhooks\/(\d+)\/([^/]+)(?:\/messages\/(.+))?$/))) {
      return json(res, 200, this.messagePayload(snowflake(), '0', undefined, this.botUser, request.body?.content ?? '', []));
    }
    if (m === 'PUT' && /^\/applications\/\d+(\/guilds\/\d+)?\/commands$/.test(path)) {
      return json(res, 200, (request.body as object[]).map((c) => ({ ...c, id: snowflake(), application_id: this.applicationId, version: snowflake() })));
    }
    return json(res, 404, { message: 'Unknown route (fake Discord)', code: 0 });
  }
}

function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  if (!raw.length) return null;
  const text = raw.toString('utf8');
  if (contentType?.startsWith('multipart/form-data')) {
    const payload = /name="payload_json"\r\n(?:[^\r\n]*\r\n)*\r\n([\s\S]*?)\r\n--/.exec(text);
    return payload ? JSON.parse(payload[1]!) : text;
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

function empty(res: ServerResponse): void {
  res.writeHead(204).end();
}

// Optional HTTP endpoint for process managers and Prometheus: /healthz and /metrics.
import { createServer, type Server } from 'node:http';

export interface ShardHealth {
  id: number;
  /** discord.js's Status name: READY, CONNECTING, RESUMING, … */
  status: string;
  ready: boolean;
  /** Last heartbeat round trip in ms (-1 before the first). */
  pingMs: number;
}

export interface HealthSource {
  ready(): boolean;
  shards(): ShardHealth[];
  metrics(): string;
}

/** Loopback by default: health and metrics say how the bot is doing, which is nobody else's business. */
export async function startHealthServer(port: number, source: HealthSource, host = '127.0.0.1'): Promise<Server> {
  const server = createServer((req, res) => {
    const route = (req.url ?? '/').split('?')[0];
    if (route === '/healthz') {
      const ok = source.ready();
      res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: ok ? 'ok' : 'starting', shards: source.shards() }));
    } else if (route === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(source.metrics());
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    }
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  return server;
}

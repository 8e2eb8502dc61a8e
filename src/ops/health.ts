// Optional HTTP endpoint for process managers and Prometheus: /healthz and /metrics.
import { createServer, type Server } from 'node:http';

export interface HealthSource {
  ready(): boolean;
  metrics(): string;
}

export async function startHealthServer(port: number, source: HealthSource, host = '0.0.0.0'): Promise<Server> {
  const server = createServer((req, res) => {
    const route = (req.url ?? '/').split('?')[0];
    if (route === '/healthz') {
      const ok = source.ready();
      res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: ok ? 'ok' : 'starting' }));
    } else if (route === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(source.metrics());
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    }
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  return server;
}

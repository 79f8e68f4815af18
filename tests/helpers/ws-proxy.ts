import net from 'node:net';
import { WebSocketServer } from 'ws';

/**
 * A plain WebSocket-to-TCP proxy, as Neon runs in front of Postgres: each WebSocket connection
 * to `/v1?address=host:port` is piped to that TCP address. Only loopback targets are allowed.
 */
export async function startWsProxy(): Promise<{ port: number; close(): Promise<void> }> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  server.on('connection', (socket, req) => {
    const address = new URL(req.url ?? '/', 'http://x').searchParams.get('address') ?? '';
    const [host, port] = address.split(':');
    if (!['127.0.0.1', 'localhost'].includes(host) || !port) {
      socket.close(1008, 'only loopback targets');
      return;
    }
    const tcp = net.connect(Number(port), '127.0.0.1');
    const pending: Buffer[] = [];
    let open = false;
    tcp.on('connect', () => {
      open = true;
      for (const chunk of pending.splice(0)) tcp.write(chunk);
    });
    socket.on('message', (data: Buffer) => (open ? tcp.write(data) : pending.push(data)));
    tcp.on('data', (data) => socket.send(data));
    tcp.on('close', () => socket.close());
    tcp.on('error', () => socket.close());
    socket.on('close', () => tcp.destroy());
    socket.on('error', () => tcp.destroy());
  });
  await new Promise<void>((resolve) => server.on('listening', () => resolve()));
  const { port } = server.address() as { port: number };
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of server.clients) c.terminate();
        server.close(() => resolve());
      }),
  };
}

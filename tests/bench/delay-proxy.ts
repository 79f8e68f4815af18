/**
 * A TCP proxy for benchmarks: it sits between the app and Postgres, adds a one-way delay to every
 * chunk in both directions (so a round trip costs 2 × delay more, as over a network to a managed
 * database), and counts round trips.
 *
 * How it counts: on each connection, the client → server bytes come in batches. A batch starts
 * with the first client chunk after the server has last spoken (or the connection opened) and
 * takes in every further client chunk until the server answers; each batch is one round trip: the
 * client had to wait for a reply before it could go on. node-postgres writes a whole extended-query
 * message group (Parse/Bind/Describe/Execute/Sync) in one flush, so one statement, BEGIN or COMMIT
 * is one round trip; a pipelined client (several statements before the first reply) counts once.
 * Server messages nobody asked for (a NOTICE) would end a batch early; the app does not cause any.
 * Connection set-up (start-up and authentication) counts too: warm the pool before counting.
 *
 * Use: `new DelayProxy({ port: 5432 })` in a process of its own (the benchmark forks this file,
 * so the app's event loop does not delay the proxy's timers and the other way round), or from the
 * command line: `tsx tests/bench/delay-proxy.ts --listen 6432 --target 127.0.0.1:5432 --rtt 10`.
 * In a forked child it answers IPC messages: {op:'rtt', ms}, {op:'reset'}, {op:'count'}.
 */
import net from 'node:net';

export interface DelayProxyOptions {
  host?: string;
  port: number;
  /** Added round-trip time in ms; each direction is delayed by half of it. */
  rttMs?: number;
}

export class DelayProxy {
  private server = net.createServer((client) => this.connect(client));
  private sockets = new Set<net.Socket>();
  /** Round trips since the last reset(), over every connection. */
  roundTrips = 0;
  rttMs: number;

  constructor(private readonly target: DelayProxyOptions) {
    this.rttMs = target.rttMs ?? 0;
  }

  listen(port = 0): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve((this.server.address() as net.AddressInfo).port));
    });
  }

  reset(): number {
    const n = this.roundTrips;
    this.roundTrips = 0;
    return n;
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private connect(client: net.Socket) {
    const server = net.connect(this.target.port, this.target.host ?? '127.0.0.1');
    client.setNoDelay(true);
    server.setNoDelay(true);
    this.sockets.add(client).add(server);
    let waitingForReply = false;
    const toServer = this.delayed(server);
    const toClient = this.delayed(client);
    client.on('data', (chunk) => {
      if (!waitingForReply) {
        waitingForReply = true;
        this.roundTrips++;
      }
      toServer(chunk);
    });
    server.on('data', (chunk) => {
      waitingForReply = false;
      toClient(chunk);
    });
    const end = () => {
      client.destroy();
      server.destroy();
      this.sockets.delete(client);
      this.sockets.delete(server);
    };
    client.on('close', end).on('error', end);
    server.on('close', end).on('error', end);
  }

  /** A writer to `to` that holds each chunk for the one-way delay, in order. */
  private delayed(to: net.Socket): (chunk: Buffer) => void {
    const queue: { at: number; chunk: Buffer }[] = [];
    let timer: NodeJS.Timeout | null = null;
    const drain = () => {
      timer = null;
      const now = performance.now();
      while (queue.length && queue[0].at <= now + 0.2) to.write(queue.shift()!.chunk);
      if (queue.length) timer = setTimeout(drain, queue[0].at - now);
    };
    return (chunk) => {
      const delay = this.rttMs / 2;
      if (delay <= 0 && !queue.length) {
        to.write(chunk);
        return;
      }
      queue.push({ at: performance.now() + delay, chunk });
      if (!timer) timer = setTimeout(drain, delay);
    };
  }
}

type Message = { op: 'rtt'; ms: number } | { op: 'reset' } | { op: 'count' };

async function main() {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const [host, port] = (arg('target') ?? process.env.PROXY_TARGET ?? '127.0.0.1:5432').split(':');
  const proxy = new DelayProxy({ host, port: Number(port), rttMs: Number(arg('rtt') ?? 0) });
  const listening = await proxy.listen(Number(arg('listen') ?? 0));
  if (process.send) {
    process.on('message', (m: Message) => {
      if (m.op === 'rtt') proxy.rttMs = m.ms;
      const count = m.op === 'reset' ? proxy.reset() : proxy.roundTrips;
      process.send!({ op: m.op, count });
    });
    process.on('disconnect', () => process.exit(0));
    process.send({ op: 'listening', port: listening });
  } else {
    console.log(`delay proxy on 127.0.0.1:${listening} → ${host}:${port}, +${proxy.rttMs} ms round trip`);
  }
}

if (process.argv[1] && /delay-proxy\.[tj]s$/.test(process.argv[1])) void main();

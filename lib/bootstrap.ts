import http from 'node:http';
import { PEER_HEADER } from '@/lib/api/http';
import { frontDoor } from '@/lib/auth/sign-in-door';
import { databaseHandle, migrateDatabase } from '@/lib/db';
import { seedDemo, seedDemoHistory } from '@/lib/demo/seed';
import { assertStartupEnv, env, EnvironmentError, workflowEngineConfigured } from '@/lib/env';
import { logError, logInfo } from '@/lib/log';
import { runSweeps } from '@/lib/sweeps';

const globalForBoot = globalThis as unknown as { __booted?: Promise<void>; __sweepTimer?: NodeJS.Timeout };

/**
 * Start-up of a server process: refuse to start in production without the settings it needs
 * (AUTH_SECRET); on the embedded database, migrate (and, only when asked with DEMO_SEED=1, seed
 * the demo the first time the data folder is created); without a workflow engine, start the local
 * sweep timer in this same process, the only one that opens the embedded database.
 */
export function bootServer(): Promise<void> {
  globalForBoot.__booted ??= (async () => {
    const e = env();
    assertStartupEnv(e);
    stampPeerAddress();
    const handle = await databaseHandle();
    if (handle.driver === 'pglite') {
      await migrateDatabase(handle);
      if (handle.created && e.DEMO_SEED) {
        await seedDemo(handle.db);
        await seedDemoHistory(handle.db);
        logInfo('boot.demo_seeded', { driver: handle.driver });
      }
    }
    if (!workflowEngineConfigured(e) && !globalForBoot.__sweepTimer) {
      const tick = () => runSweeps().catch((err) => logError('sweep.failed', err, { route: 'local-sweep' }));
      globalForBoot.__sweepTimer = setInterval(tick, e.LOCAL_SWEEP_SECONDS * 1000);
      globalForBoot.__sweepTimer.unref();
      void tick();
      logInfo('boot.local_sweeps', { everySeconds: e.LOCAL_SWEEP_SECONDS });
    }
  })();
  return globalForBoot.__booted;
}

/**
 * `bootServer` for instrumentation.ts: a setting the server cannot run without (lib/env's
 * EnvironmentError, e.g. no AUTH_SECRET in production) prints one readable line and ends the
 * process, instead of a server that answers every request with an error.
 */
export async function startServer(): Promise<void> {
  try {
    await bootServer();
  } catch (err) {
    if (err instanceof EnvironmentError) {
      console.error(`[boot] ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
}

/**
 * Writes the socket's address into every request's PEER_HEADER before Next sees it, replacing any
 * value a client sent: Next keeps a client's own X-Forwarded-For (it only fills it when absent),
 * so without this a client reached directly could choose the address its limits count against.
 */
function stampPeerAddress(): void {
  const proto = http.Server.prototype as unknown as { emit: (event: string | symbol, ...args: unknown[]) => boolean; __peerStamped?: boolean };
  if (proto.__peerStamped) return;
  proto.__peerStamped = true;
  const emit = proto.emit;
  proto.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === 'request') {
      const req = args[0] as http.IncomingMessage;
      req.headers[PEER_HEADER] = req.socket?.remoteAddress ?? '';
      // A sign-in the door already refuses is answered here, before Next (lib/auth/sign-in-door).
      if (frontDoor(req, args[1] as http.ServerResponse)) return true;
    }
    return emit.call(this, event, ...args);
  };
}

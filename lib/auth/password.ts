import { hash, verify } from '@node-rs/argon2';
import { Worker } from 'node:worker_threads';
import { Bound, Busy } from './bound';

// argon2id (the library's default algorithm) with OWASP's minimum: 19 MiB, 2 passes.
const options = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/**
 * Password hashing is bounded per process: one hash at a time (about 50 ms of one core), at most
 * ARGON2_QUEUE waiting, each for at most ARGON2_MAX_WAIT_MS; anything beyond is refused at once
 * with `PasswordWorkBusy`, so a flood of sign-ins costs a fixed slice of the machine and the
 * public pages keep their speed. (Sign-ins as a whole are bounded too: lib/auth/credentials.ts.)
 *
 * The hashing itself runs on a worker thread at a lower CPU priority (ARGON2_NICE, Linux): when
 * the machine is busy, serving pages comes before checking passwords, so a flood slows sign-ins
 * (which then answer "try again") rather than the public pages. Where the worker cannot start or
 * lower its priority, argon2 runs on libuv's pool as before.
 */
export const ARGON2_CONCURRENCY = 1;
export const ARGON2_QUEUE = 8;
export const ARGON2_MAX_WAIT_MS = 1500;
export const ARGON2_NICE = 10;

export { Busy as PasswordWorkBusy };

const bound = new Bound(ARGON2_CONCURRENCY, ARGON2_QUEUE, ARGON2_MAX_WAIT_MS);
/** Whether a new hash or check would be refused at once (lib/auth/sign-in-door asks before any work). */
export const passwordWorkSaturated = () => bound.saturated;
/** Counts of argon2 work done in this process (tests and the benchmark read them). */
export const passwordWork = {
  verifications: 0,
  hashes: 0,
  get refusedBusy() {
    return bound.refused;
  },
};

// Plain CommonJS evaluated in the worker (a bundler cannot rewrite it): it lowers its own thread's
// priority (a Linux thread id is a valid `setpriority` target), then hashes on request.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
require('node:os').setPriority(tid, ${ARGON2_NICE});
const argon2 = require('@node-rs/argon2');
parentPort.on('message', ({ id, op, a, b, options }) => {
  let result;
  try {
    result = op === 'hash' ? argon2.hashSync(a, options) : argon2.verifySync(a, b);
  } catch {
    result = op === 'hash' ? null : false;
  }
  parentPort.postMessage({ id, result });
});
`;

type Pending = { resolve: (v: string | boolean | null) => void };
let worker: Worker | null | undefined;
const pending = new Map<number, Pending>();
let nextId = 0;

/** The worker, started on first use; null where it cannot run (then the pool is used). */
function passwordWorker(): Worker | null {
  if (worker !== undefined) return worker;
  if (process.platform !== 'linux' || process.env.ARGON2_WORKER === 'off') return (worker = null);
  try {
    // No inherited loaders (tsx, test runners): the worker runs plain CommonJS.
    const w = new Worker(WORKER_SOURCE, { eval: true, execArgv: [] });
    w.on('message', ({ id, result }: { id: number; result: string | boolean | null }) => {
      pending.get(id)?.resolve(result);
      pending.delete(id);
      if (pending.size === 0) w.unref();
    });
    const fail = () => {
      // A worker that failed (e.g. no /proc) is not retried: the pool takes over, and the tasks it
      // held are answered there.
      worker = null;
      for (const [, p] of pending) p.resolve(undefined as never);
      pending.clear();
    };
    w.on('error', fail);
    w.on('exit', fail);
    // Keeps the process alive only while a task is pending (a CLI that hashed a password still
    // exits); set after the listeners, which would otherwise hold it again.
    w.unref();
    return (worker = w);
  } catch {
    return (worker = null);
  }
}

/** Runs one argon2 operation on the worker, or on the pool when there is none (or it fails). */
function onWorker(op: 'hash', a: string, b: undefined): Promise<string>;
function onWorker(op: 'verify', a: string, b: string): Promise<boolean>;
async function onWorker(op: 'hash' | 'verify', a: string, b: string | undefined): Promise<string | boolean> {
  const w = passwordWorker();
  if (w) {
    const id = nextId++;
    const result = await new Promise<string | boolean | null | undefined>((resolve) => {
      pending.set(id, { resolve });
      w.ref();
      w.postMessage({ id, op, a, b, options });
    });
    if (op === 'verify' && typeof result === 'boolean') return result;
    if (op === 'hash' && typeof result === 'string') return result;
    // null: argon2 itself refused (an unreadable input); undefined: the worker died.
    if (result === null) throw new Error('argon2 failed');
  }
  return op === 'hash' ? hash(a, options) : verify(a, b!);
}

export function hashPassword(password: string): Promise<string> {
  return bound.run(() => {
    passwordWork.hashes++;
    return onWorker('hash', password, undefined);
  });
}

/** False for a wrong password or an unreadable hash; throws `PasswordWorkBusy` when saturated. */
export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return bound.run(async () => {
    passwordWork.verifications++;
    try {
      return await onWorker('verify', passwordHash, password);
    } catch {
      return false;
    }
  });
}

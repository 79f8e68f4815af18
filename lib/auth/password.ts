import { hash, verify } from '@node-rs/argon2';

// argon2id (the library's default algorithm) with OWASP's minimum: 19 MiB, 2 passes.
const options = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/**
 * Password hashing is bounded per process: at most ARGON2_CONCURRENCY hashes run at once, at most
 * ARGON2_QUEUE wait (each for at most ARGON2_MAX_WAIT_MS); anything beyond is refused at once with
 * `PasswordWorkBusy`, so a flood of sign-ins costs a fixed slice of the machine and the public
 * pages keep their speed.
 */
export const ARGON2_CONCURRENCY = 2;
export const ARGON2_QUEUE = 16;
export const ARGON2_MAX_WAIT_MS = 1500;

export class PasswordWorkBusy extends Error {
  override name = 'PasswordWorkBusy';
}

let running = 0;
const waiting: { resolve: () => void; timer: ReturnType<typeof setTimeout> }[] = [];
/** Counts of argon2 work done in this process (tests and the benchmark read them). */
export const passwordWork = { verifications: 0, hashes: 0, refusedBusy: 0 };

async function withSlot<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= ARGON2_CONCURRENCY) {
    if (waiting.length >= ARGON2_QUEUE) {
      passwordWork.refusedBusy++;
      throw new PasswordWorkBusy();
    }
    await new Promise<void>((resolve, reject) => {
      const entry = {
        resolve,
        timer: setTimeout(() => {
          const i = waiting.indexOf(entry);
          if (i >= 0) waiting.splice(i, 1);
          passwordWork.refusedBusy++;
          reject(new PasswordWorkBusy());
        }, ARGON2_MAX_WAIT_MS),
      };
      waiting.push(entry);
    });
  } else {
    running++;
  }
  try {
    return await fn();
  } finally {
    const next = waiting.shift();
    if (next) {
      // The slot passes straight to the next waiter: `running` stays the same.
      clearTimeout(next.timer);
      next.resolve();
    } else {
      running--;
    }
  }
}

export function hashPassword(password: string): Promise<string> {
  return withSlot(() => {
    passwordWork.hashes++;
    return hash(password, options);
  });
}

/** False for a wrong password or an unreadable hash; throws `PasswordWorkBusy` when saturated. */
export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return withSlot(async () => {
    passwordWork.verifications++;
    try {
      return await verify(passwordHash, password);
    } catch {
      return false;
    }
  });
}

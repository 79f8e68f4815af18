import { hash, verify } from '@node-rs/argon2';
import { Bound, Busy } from './bound';

// argon2id (the library's default algorithm) with OWASP's minimum: 19 MiB, 2 passes.
const options = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/**
 * Password hashing is bounded per process: one hash at a time (about 50 ms of one core), at most
 * ARGON2_QUEUE waiting, each for at most ARGON2_MAX_WAIT_MS; anything beyond is refused at once
 * with `PasswordWorkBusy`, so a flood of sign-ins costs a fixed slice of the machine and the
 * public pages keep their speed. (Sign-ins as a whole are bounded too: lib/auth/credentials.ts.)
 */
export const ARGON2_CONCURRENCY = 1;
export const ARGON2_QUEUE = 8;
export const ARGON2_MAX_WAIT_MS = 1500;

export { Busy as PasswordWorkBusy };

const bound = new Bound(ARGON2_CONCURRENCY, ARGON2_QUEUE, ARGON2_MAX_WAIT_MS);
/** Counts of argon2 work done in this process (tests and the benchmark read them). */
export const passwordWork = {
  verifications: 0,
  hashes: 0,
  get refusedBusy() {
    return bound.refused;
  },
};

export function hashPassword(password: string): Promise<string> {
  return bound.run(() => {
    passwordWork.hashes++;
    return hash(password, options);
  });
}

/** False for a wrong password or an unreadable hash; throws `PasswordWorkBusy` when saturated. */
export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return bound.run(async () => {
    passwordWork.verifications++;
    try {
      return await verify(passwordHash, password);
    } catch {
      return false;
    }
  });
}

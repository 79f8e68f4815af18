import { unstable_rethrow } from 'next/navigation';
import { z } from 'zod';
import { getDb, type Db } from '@/db/client';
import type { MemberRole } from '@/db/schema';
import { requireMembership, type Actor, type Membership } from '@/lib/auth/actor';
import { currentActor } from '@/lib/auth/session';
import { isDomainError } from '@/lib/errors';

/** What every server action returns to its form (useActionState). Never echoes a password. */
export interface ActionState {
  ok?: boolean;
  message?: string;
  error?: string;
  fieldErrors?: Record<string, string[]>;
  values?: Record<string, string>;
}

type Handler<S extends z.ZodType, C> = (data: z.infer<S>, ctx: C) => Promise<ActionState | void>;

const SECRET_FIELDS = /password|token/i;

/** The typed values to put back in the form; repeated fields (checkbox groups) joined by commas. */
function echo(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const key of new Set(formData.keys())) {
    if (SECRET_FIELDS.test(key) || key.startsWith('$')) continue;
    const all = formData.getAll(key).filter((v): v is string => typeof v === 'string');
    if (all.length) values[key] = all.join(',');
  }
  return values;
}

function toObject(formData: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set(formData.keys())) {
    if (key.startsWith('$')) continue;
    const all = formData.getAll(key);
    out[key] = key.endsWith('[]') ? all : all[0];
  }
  return out;
}

async function run<S extends z.ZodType, C>(
  schema: S,
  formData: FormData,
  ctx: () => Promise<C>,
  handler: Handler<S, C>,
): Promise<ActionState> {
  const parsed = schema.safeParse(toObject(formData));
  if (!parsed.success) {
    const flat = z.flattenError(parsed.error);
    return {
      error: flat.formErrors[0] ?? 'Some fields need attention.',
      fieldErrors: flat.fieldErrors as Record<string, string[]>,
      values: echo(formData),
    };
  }
  try {
    return (await handler(parsed.data, await ctx())) ?? { ok: true };
  } catch (err) {
    unstable_rethrow(err);
    if (isDomainError(err)) {
      const fieldErrors = err.fields ? Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, [v]])) : undefined;
      return { error: err.message, fieldErrors, values: echo(formData) };
    }
    console.error('[action] unexpected error', err);
    return { error: 'Something went wrong on our side; nothing was saved. Please try again.', values: echo(formData) };
  }
}

/** An action anyone may call (sign-in, the public booking form). */
export function publicAction<S extends z.ZodType>(schema: S, handler: Handler<S, { db: Db }>) {
  return async (_prev: ActionState | undefined, formData: FormData): Promise<ActionState> =>
    run(schema, formData, async () => ({ db: await getDb() }), handler);
}

/** An action of a signed-in person; refused otherwise. */
export function actorAction<S extends z.ZodType>(schema: S, handler: Handler<S, { db: Db; actor: Actor }>) {
  return async (_prev: ActionState | undefined, formData: FormData): Promise<ActionState> =>
    run(schema, formData, async () => ({ db: await getDb(), actor: await signedIn() }), handler);
}

/**
 * An action on one practice's data: the form carries `profileId`, and the actor must be a member
 * with one of `roles`. The lib function called checks again: this is the first gate, not the only.
 */
export function practiceAction<S extends z.ZodObject<{ profileId: z.ZodString }>>(
  schema: S,
  roles: readonly MemberRole[],
  handler: Handler<S, { db: Db; actor: Actor; membership: Membership }>,
) {
  return async (_prev: ActionState | undefined, formData: FormData): Promise<ActionState> =>
    run(schema, formData, async () => {
      const actor = await signedIn();
      const profileId = String(formData.get('profileId') ?? '');
      return { db: await getDb(), actor, membership: requireMembership(actor, profileId, roles) };
    }, handler);
}

async function signedIn(): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) {
    const { DomainError } = await import('@/lib/errors');
    throw new DomainError('unauthorized', 'Your session has ended. Sign in again.');
  }
  return actor;
}

import { eq, sql } from 'drizzle-orm';
import { invitations, profiles, users } from '@/db/schema';
import { audit } from '@/lib/audit';
import { executor, transaction, type CallOptions, type Tx } from '@/lib/db';
import { DomainError, pgErrorCode } from '@/lib/errors';
import { fieldError, parseInput } from '@/lib/validation/fields';
import { z } from 'zod';
import { emailField, practiceFields, slugField } from './schemas';
import { INVITATION_MS, linkTo, newToken } from './tokens';

export interface SlugAvailability {
  slug: string;
  available: boolean;
  /** Why not, in words for the form. */
  message?: string;
}

/** Whether a booking address can be taken (the sign-up form's inline check). Public. */
export async function slugAvailability(input: { slug: unknown }, opts?: CallOptions): Promise<SlugAvailability> {
  const parsed = slugField.safeParse(input.slug);
  const slug = typeof input.slug === 'string' ? input.slug.trim().toLowerCase().slice(0, 80) : '';
  if (!parsed.success) return { slug, available: false, message: parsed.error.issues[0]?.message };
  const db = await executor(opts);
  const [taken] = await db.select({ id: profiles.id }).from(profiles).where(eq(profiles.slug, parsed.data)).limit(1);
  return taken ? { slug: parsed.data, available: false, message: 'That address is taken; choose another.' } : { slug: parsed.data, available: true };
}

export interface NewPractice {
  practiceName: string;
  slug: string;
  specialty: string;
  timeZone: string;
  isActive: boolean;
}

/** Inserts a practice; a taken slug (also one taken by a concurrent insert) is the slug field's error. */
export async function insertPractice(tx: Tx, p: NewPractice): Promise<{ id: string; slug: string }> {
  const [taken] = await tx.select({ id: profiles.id }).from(profiles).where(eq(profiles.slug, p.slug)).limit(1);
  if (taken) throw fieldError('slug', 'That address is taken; choose another.', 'conflict');
  try {
    // A savepoint, so a lost race is a field error and not an aborted transaction.
    return await tx.transaction(async (sp) => {
      const [row] = await sp
        .insert(profiles)
        .values({ slug: p.slug, displayName: p.practiceName, specialty: p.specialty, timeZone: p.timeZone, isActive: p.isActive })
        .returning({ id: profiles.id, slug: profiles.slug });
      return row;
    });
  } catch (err) {
    if (pgErrorCode(err) === '23505') throw fieldError('slug', 'That address is taken; choose another.', 'conflict');
    throw err;
  }
}

const operatorSchema = practiceFields
  .pick({ slug: true, specialty: true, timeZone: true })
  .extend({
    name: practiceFields.shape.practiceName,
    adminEmail: emailField,
    timeZone: practiceFields.shape.timeZone.optional().default('Europe/Madrid'),
    /** The first admin is the practice's doctor too. */
    doctor: z.boolean().optional().default(false),
  });

export type OperatorPracticeInput = z.input<typeof operatorSchema>;

export interface OperatorPracticeResult {
  profileId: string;
  slug: string;
  invitationId: string;
  invitationUrl: string;
  expiresAt: Date;
}

/**
 * The operator's command (npm run practice:create): a live practice and an invitation for its
 * first admin, whose link is returned to print (the operator hands it over; no mail is needed).
 * A system entry point: whoever can run it already holds the database.
 */
export async function createPracticeForOperator(
  input: OperatorPracticeInput,
  opts: CallOptions & { baseUrl: string },
): Promise<OperatorPracticeResult> {
  const data = parseInput(operatorSchema, input);
  const now = opts.now ?? new Date();
  const { token, hash } = newToken();
  const expiresAt = new Date(now.getTime() + INVITATION_MS);
  return transaction(opts, async (tx) => {
    const practice = await insertPractice(tx, { practiceName: data.name, slug: data.slug, specialty: data.specialty, timeZone: data.timeZone, isActive: true });
    const [invitation] = await tx
      .insert(invitations)
      .values({ profileId: practice.id, email: data.adminEmail, roles: data.doctor ? ['admin', 'doctor'] : ['admin'], tokenHash: hash, expiresAt, createdAt: now })
      .returning({ id: invitations.id });
    const [existing] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${data.adminEmail}`).limit(1);
    await audit(tx, {
      profileId: practice.id,
      actorUserId: null,
      actorKind: 'system',
      action: 'practice.created',
      entityType: 'profile',
      entityId: practice.id,
      details: { via: 'operator', slug: practice.slug },
    });
    await audit(tx, {
      profileId: practice.id,
      actorUserId: null,
      actorKind: 'system',
      action: 'invitation.created',
      entityType: 'invitation',
      entityId: invitation.id,
      details: { roles: data.doctor ? ['admin', 'doctor'] : ['admin'], existingAccount: Boolean(existing) },
    });
    return { profileId: practice.id, slug: practice.slug, invitationId: invitation.id, invitationUrl: linkTo(opts.baseUrl, '/invitations', token), expiresAt };
  });
}

/** A practice that exists, for messages. */
export async function practiceName(tx: Tx, profileId: string): Promise<string> {
  const [row] = await tx.select({ name: profiles.displayName }).from(profiles).where(eq(profiles.id, profileId)).limit(1);
  if (!row) throw new DomainError('not_found', 'No such practice.');
  return row.name;
}

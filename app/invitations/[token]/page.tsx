import type { Metadata } from 'next';
import Link from 'next/link';
import { AccountShell } from '@/components/signup/account-shell';
import { SimpleForm } from '@/components/signup/simple-form';
import { previewInvitation, type InvitationPreview } from '@/lib/accounts';
import { describeRoles } from '@/lib/auth/permissions';
import { currentActor } from '@/lib/auth/session';
import { isDomainError } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { acceptInvitationAction, joinPracticeAction } from '../actions';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Invitation', referrer: 'no-referrer', robots: { index: false } };

export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  let invitation: InvitationPreview;
  try {
    invitation = await previewInvitation(token);
  } catch (err) {
    if (!isDomainError(err) || err.code !== 'not_found') throw err;
    return (
      <AccountShell title="This invitation does not work any more" intro={err.message}>
        <Link href="/login" className="text-brand-700 underline">
          Sign in
        </Link>
      </AccountShell>
    );
  }
  const actor = await currentActor();
  const title = `Join ${invitation.practiceName}`;
  const intro = (
    <>
      You are invited as {describeRoles(invitation.roles)} of <strong>{invitation.practiceName}</strong>, for {invitation.email}. The invitation
      works until {formatDateTime(invitation.expiresAt, 'UTC')} (UTC).
    </>
  );
  const joined = actor ? { href: '/dashboard', label: 'Open the dashboard' } : { href: '/login', label: 'Sign in' };
  if (actor) {
    if (actor.email.toLowerCase() !== invitation.email) {
      return (
        <AccountShell title={title} intro={intro}>
          <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-950">
            You are signed in as {actor.email}, but this invitation is for {invitation.email}. Sign out, then open the link again.
          </p>
        </AccountShell>
      );
    }
    return (
      <AccountShell title={title} intro={intro}>
        <SimpleForm action={joinPracticeAction} hidden={{ token }} submit={`Join ${invitation.practiceName}`} done={joined} />
      </AccountShell>
    );
  }
  if (invitation.accountExists) {
    return (
      <AccountShell title={title} intro={intro}>
        <p>You already have an account with this e-mail. Sign in, then open this link again to join with one click.</p>
        <Link href="/login" className="mt-4 inline-block rounded-md bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800">
          Sign in
        </Link>
      </AccountShell>
    );
  }
  return (
    <AccountShell title={title} intro={intro}>
      <SimpleForm
        action={acceptInvitationAction}
        hidden={{ token }}
        fields={[
          { label: 'Your name', name: 'name', autoComplete: 'name', required: true },
          { label: 'Choose a password', name: 'password', type: 'password', autoComplete: 'new-password', hint: 'At least 10 characters.', required: true },
        ]}
        submit="Create my account and join"
        done={joined}
      />
    </AccountShell>
  );
}

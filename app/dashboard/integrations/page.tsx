import type { Metadata } from 'next';
import { CreateKeyForm } from '@/components/integrations/create-key-form';
import { RevokeKeyButton } from '@/components/integrations/revoke-key-button';
import { can } from '@/lib/auth/permissions';
import { currentPractice, requireActor } from '@/lib/auth/session';
import { formatDateTime, formatShortDate } from '@/lib/format';
import { listIntegrationKeys } from '@/lib/integrations';

export const metadata: Metadata = { title: 'Integrations' };

export default async function IntegrationsPage() {
  const actor = await requireActor();
  const practice = await currentPractice(actor);
  if (!practice) return null;
  if (!can(practice.roles, 'integrations.manage')) {
    return (
      <div className="space-y-2">
        <h1 className="text-2xl font-bold">Integrations</h1>
        <p role="status" className="rounded-md border border-slate-300 bg-white p-4 text-slate-800">
          Only admins of {practice.displayName} can create or revoke integration keys. Ask an admin of the practice if a chatbot or
          partner system needs one.
        </p>
      </div>
    );
  }
  const keys = await listIntegrationKeys(actor, practice.profileId, {});
  const tz = practice.timeZone;
  const current = keys.filter((k) => !k.revokedAt).length;
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">Integrations</h1>
        <p className="text-slate-700">
          A key lets a chatbot or a partner system of {practice.displayName} use the booking API for this practice only, sending{' '}
          <code className="rounded bg-slate-100 px-1 font-mono text-sm">Authorization: Bearer &lt;key&gt;</code>. It may create requests
          for phone numbers it has verified itself. Times are in {tz}.
        </p>
      </div>

      <section aria-labelledby="keys-heading" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="keys-heading" className="font-semibold">
          Keys <span className="font-normal text-slate-600">({current === 1 ? '1 in use' : `${current} in use`})</span>
        </h2>
        {keys.length === 0 ? (
          <p className="mt-2 text-slate-700">No keys yet: create the first one below.</p>
        ) : (
          <ul className="mt-2 divide-y divide-slate-100">
            {keys.map((k) => (
              <li key={k.id} className="py-3" data-testid="integration-key-row">
                <div className="flex flex-wrap items-start justify-between gap-3">
                  <div className="min-w-0">
                    <p className="font-medium break-words">
                      {k.name}
                      {k.revokedAt && <span className="ml-2 rounded bg-slate-200 px-2 py-0.5 text-xs font-semibold text-slate-700">Revoked</span>}
                    </p>
                    <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-sm text-slate-700">
                      <dt className="text-slate-600">Key</dt>
                      <dd>
                        <code className="font-mono">{k.prefix}…</code>
                      </dd>
                      <dt className="text-slate-600">Created</dt>
                      <dd>
                        {formatShortDate(k.createdAt, tz)}
                        {k.createdByName ? ` by ${k.createdByName}` : ''}
                      </dd>
                      <dt className="text-slate-600">Last used</dt>
                      <dd>{k.lastUsedAt ? formatDateTime(k.lastUsedAt, tz, { year: 'numeric' }) : 'Never'}</dd>
                      {k.revokedAt && (
                        <>
                          <dt className="text-slate-600">Revoked</dt>
                          <dd>{formatDateTime(k.revokedAt, tz, { year: 'numeric' })}</dd>
                        </>
                      )}
                    </dl>
                  </div>
                  <RevokeKeyButton profileId={practice.profileId} keyId={k.id} name={k.name} prefix={k.prefix} revoked={!!k.revokedAt} />
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="new-key-heading" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="new-key-heading" className="font-semibold">
          Create a key
        </h2>
        <p className="mt-1 text-sm text-slate-700">
          The key is shown once, right after it is created. Keep it in the integration&apos;s settings; if it leaks, revoke it here and
          create another.
        </p>
        <div className="mt-3 max-w-2xl">
          <CreateKeyForm profileId={practice.profileId} />
        </div>
      </section>
    </div>
  );
}

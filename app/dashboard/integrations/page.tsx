import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { CreateKeyForm } from '@/components/integrations/create-key-form';
import { RevokeKeyButton } from '@/components/integrations/revoke-key-button';
import { can } from '@/lib/auth/permissions';
import { currentPractice, requireActor } from '@/lib/auth/session';
import { formatDateTime, formatShortDate, zoneName } from '@/lib/i18n/format';
import { pageLocale } from '@/lib/i18n/page-locale';
import { listIntegrationKeys } from '@/lib/integrations';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('dashboard.integrations'))('title') };
}

export default async function IntegrationsPage() {
  const actor = await requireActor();
  const practice = await currentPractice(actor);
  if (!practice) return null;
  const [t, locale] = await Promise.all([getTranslations('dashboard.integrations'), pageLocale()]);
  if (!can(practice.roles, 'integrations.manage')) {
    return (
      <div className="space-y-2">
        <h1 className="text-2xl font-bold">{t('title')}</h1>
        <p role="status" className="rounded-md border border-slate-300 bg-white p-4 text-slate-800">
          {t('adminsOnly', { practice: practice.displayName })}
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
        <h1 className="text-2xl font-bold">{t('title')}</h1>
        <p className="text-slate-700">
          {t.rich('intro', {
            practice: practice.displayName,
            zone: zoneName(locale, tz),
            code: (chunks) => <code className="rounded bg-slate-100 px-1 font-mono text-sm">{chunks}</code>,
          })}
        </p>
      </div>

      <section aria-labelledby="keys-heading" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="keys-heading" className="font-semibold">
          {t('keys')} <span className="font-normal text-slate-600">{t('inUse', { count: current })}</span>
        </h2>
        {keys.length === 0 ? (
          <p className="mt-2 text-slate-700">{t('none')}</p>
        ) : (
          <ul className="mt-2 divide-y divide-slate-100">
            {keys.map((k) => (
              <li key={k.id} className="py-3" data-testid="integration-key-row">
                <div className="flex flex-wrap items-start justify-between gap-3">
                  <div className="min-w-0">
                    <p className="font-medium break-words">
                      {k.name}
                      {k.revokedAt && <span className="ml-2 rounded bg-slate-200 px-2 py-0.5 text-xs font-semibold text-slate-700">{t('revoked')}</span>}
                    </p>
                    <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-sm text-slate-700">
                      <dt className="text-slate-600">{t('key')}</dt>
                      <dd>
                        <code className="font-mono">{k.prefix}…</code>
                      </dd>
                      <dt className="text-slate-600">{t('created')}</dt>
                      <dd>
                        {k.createdByName
                          ? t('createdBy', { date: formatShortDate(locale, k.createdAt, tz), name: k.createdByName })
                          : formatShortDate(locale, k.createdAt, tz)}
                      </dd>
                      <dt className="text-slate-600">{t('lastUsed')}</dt>
                      <dd>{k.lastUsedAt ? formatDateTime(locale, k.lastUsedAt, tz, { year: 'numeric' }) : t('never')}</dd>
                      {k.revokedAt && (
                        <>
                          <dt className="text-slate-600">{t('revoked')}</dt>
                          <dd>{formatDateTime(locale, k.revokedAt, tz, { year: 'numeric' })}</dd>
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
          {t('create')}
        </h2>
        <p className="mt-1 text-sm text-slate-700">{t('createIntro')}</p>
        <div className="mt-3 max-w-2xl">
          <CreateKeyForm profileId={practice.profileId} />
        </div>
      </section>
    </div>
  );
}

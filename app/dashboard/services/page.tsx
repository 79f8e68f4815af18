import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { ServiceForm } from '@/components/catalog/service-form';
import { ServiceToggle } from '@/components/catalog/service-toggle';
import { can } from '@/lib/auth/permissions';
import { currentPractice, requireActor } from '@/lib/auth/session';
import { listServices } from '@/lib/catalog';
import { fromMinorUnits } from '@/lib/catalog/money';
import { formatPrice } from '@/lib/i18n/format';
import { pageLocale } from '@/lib/i18n/page-locale';
import { getSettings } from '@/lib/practice/settings';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('dashboard.services'))('title') };
}

export default async function ServicesPage() {
  const actor = await requireActor();
  const practice = await currentPractice(actor);
  if (!practice) return null;
  const [t, locale] = await Promise.all([getTranslations('dashboard.services'), pageLocale()]);
  if (!can(practice.roles, 'catalog.edit')) {
    return (
      <div className="space-y-2">
        <h1 className="text-2xl font-bold">{t('title')}</h1>
        <p role="status" className="rounded-md border border-slate-300 bg-white p-4 text-slate-800">
          {t('adminsOnly', { practice: practice.displayName })}
        </p>
      </div>
    );
  }
  const [services, settings] = await Promise.all([
    listServices(actor, practice.profileId, { includeInactive: true }),
    getSettings(actor, practice.profileId),
  ]);
  const defaultCurrency = services[0]?.currency ?? 'EUR';
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">{t('title')}</h1>
        <p className="text-slate-700">{t('intro', { practice: practice.displayName, slot: settings.slotMinutes })}</p>
      </div>

      <section aria-labelledby="catalog-heading" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="catalog-heading" className="font-semibold">
          {t('catalog')}
        </h2>
        {services.length === 0 ? (
          <p className="mt-2 text-slate-700">{t('empty')}</p>
        ) : (
          <ul className="mt-2 divide-y divide-slate-100">
            {services.map((s) => (
              <li key={s.id} className="py-3" data-testid="service-row">
                <div className="flex flex-wrap items-start justify-between gap-3">
                  <div className="min-w-0">
                    <p className="font-medium">
                      {s.name}
                      {!s.isActive && (
                        <span className="ml-2 rounded bg-slate-200 px-2 py-0.5 text-xs font-semibold text-slate-700">{t('inactive')}</span>
                      )}
                    </p>
                    <p className="text-sm text-slate-700">
                      {s.durationMinutes} min · {formatPrice(locale, s.priceAmount, s.currency)}
                    </p>
                    {s.description && <p className="mt-1 text-sm text-slate-600">{s.description}</p>}
                  </div>
                  <ServiceToggle profileId={practice.profileId} serviceId={s.id} name={s.name} isActive={s.isActive} />
                </div>
                <details className="mt-2">
                  <summary className="cursor-pointer text-sm font-medium text-brand-700 hover:underline">{t('edit', { name: s.name })}</summary>
                  <div className="mt-3 max-w-2xl">
                    <ServiceForm
                      profileId={practice.profileId}
                      slotMinutes={settings.slotMinutes}
                      defaultCurrency={defaultCurrency}
                      service={{
                        id: s.id,
                        name: s.name,
                        description: s.description,
                        durationMinutes: s.durationMinutes,
                        price: fromMinorUnits(s.priceAmount, s.currency),
                        currency: s.currency,
                      }}
                    />
                  </div>
                </details>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="new-service-heading" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="new-service-heading" className="font-semibold">
          {t('add')}
        </h2>
        <div className="mt-3 max-w-2xl">
          <ServiceForm profileId={practice.profileId} slotMinutes={settings.slotMinutes} defaultCurrency={defaultCurrency} />
        </div>
      </section>
    </div>
  );
}

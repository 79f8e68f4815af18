import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { cache } from 'react';
import { AutoRefresh } from '@/components/requests/auto-refresh';
import { DecisionBoard } from '@/components/requests/decision-board';
import { PendingRequestList } from '@/components/requests/pending-request-list';
import { PendingTitle } from '@/components/requests/pending-title';
import { RequestHistory } from '@/components/requests/request-history';
import { countPending, listRequestHistory, pendingRequestsPage, PENDING_LIMIT, PENDING_PAGE_SIZE, type PendingRequest } from '@/lib/appointments';
import type { Actor } from '@/lib/auth/actor';
import { mayDecide } from '@/lib/approval';
import { currentPractice, requireActor } from '@/lib/auth/session';
import { zoneName } from '@/lib/i18n/format';
import type { Locale } from '@/lib/i18n/locales';
import { pageLocale } from '@/lib/i18n/page-locale';
import { pageNumber } from '@/lib/validation/fields';
import { approveRequestAction, approveSelectedAction, rejectRequestAction, undoDecisionAction } from './actions';
import { MovesSection } from './moves-section';

// Requests change every few seconds: never cache this page.
export const dynamic = 'force-dynamic';

interface PageProps {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

const pendingCount = cache((actor: Actor, profileId: string) => countPending(actor, profileId));

export async function generateMetadata(): Promise<Metadata> {
  const actor = await requireActor();
  const practice = await currentPractice(actor);
  const t = await getTranslations('requests.page');
  if (!practice) return { title: t('title') };
  return { title: t('titleCount', { count: await pendingCount(actor, practice.profileId) }) };
}

export default async function RequestsPage({ searchParams }: PageProps) {
  const sp = await searchParams;
  const actor = await requireActor();
  const practice = await currentPractice(actor);
  if (!practice) return null;
  const tab = sp.tab === 'history' ? 'history' : 'pending';
  const tz = practice.timeZone;
  const now = new Date();
  // The pending tab reads its list and the count in one round trip; the history tab only counts.
  const pending = tab === 'pending' ? await pendingRequestsPage(actor, practice.profileId, { limit: shownOf(sp.show) }, { now }) : null;
  const count = pending ? pending.count : await pendingCount(actor, practice.profileId);
  const canDecide = await mayDecide(actor, practice.profileId);
  const [t, locale] = await Promise.all([getTranslations('requests.page'), pageLocale()]);

  return (
    <div className="space-y-4">
      <AutoRefresh />
      <PendingTitle title={`${t('titleCount', { count })} · Consulta`} />
      <div>
        <h1 className="text-2xl font-bold">{t('title')}</h1>
        <p className="text-slate-700">
          {practice.displayName} · <span title={tz}>{zoneName(locale, tz)}</span>
        </p>
      </div>
      <nav aria-label={t('tabs')} className="flex gap-1 border-b border-slate-200">
        <TabLink href="/dashboard/requests" current={tab === 'pending'}>
          {t('pending')} <span data-testid="pending-tab-count">({count})</span>
        </TabLink>
        <TabLink href="/dashboard/requests?tab=history" current={tab === 'history'}>
          {t('history')}
        </TabLink>
      </nav>
      {pending ? (
        <PendingTab
          actor={actor}
          profileId={practice.profileId}
          tz={tz}
          country={practice.country}
          now={now}
          canDecide={canDecide}
          count={count}
          requests={pending.requests}
          locale={locale}
        />
      ) : (
        <HistoryTab actor={actor} profileId={practice.profileId} tz={tz} country={practice.country} now={now} page={pageNumber(sp.page)} locale={locale} />
      )}
    </div>
  );
}

async function PendingTab({
  actor,
  profileId,
  tz,
  country,
  now,
  canDecide,
  count,
  requests,
  locale,
}: {
  actor: Actor;
  profileId: string;
  tz: string;
  country?: string;
  now: Date;
  canDecide: boolean;
  count: number;
  requests: PendingRequest[];
  locale: Locale;
}) {
  const t = await getTranslations('requests.page');
  const list = (
    <PendingRequestList requests={requests} timeZone={tz} now={now} profileId={profileId} canDecide={canDecide} linkAs={Link} country={country} locale={locale} />
  );
  return (
    <section aria-label={t('pendingLabel')} className="space-y-3">
      <p className="text-sm text-slate-700">{t('intro')}</p>
      {!canDecide && (
        <p role="note" className="rounded-md border border-slate-300 bg-white p-3 text-sm text-slate-800">
          {t('onlyDoctors')}
        </p>
      )}
      {/* Issue 15: moves of appointments waiting for an answer. */}
      <MovesSection actor={actor} profileId={profileId} tz={tz} now={now} canDecide={canDecide} locale={locale} />
      {canDecide ? (
        <DecisionBoard
          approveAction={approveRequestAction}
          rejectAction={rejectRequestAction}
          undoAction={undoDecisionAction}
          bulkAction={requests.length > 1 ? approveSelectedAction : undefined}
          profileId={profileId}
        >
          {list}
        </DecisionBoard>
      ) : (
        list
      )}
      {count > requests.length && (
        <nav aria-label={t('more')} className="flex flex-wrap items-center gap-3 rounded-lg border border-slate-200 bg-white p-3 text-sm">
          <span className="text-slate-700">{t('showing', { shown: requests.length, count })}</span>
          <Link href={`/dashboard/requests?show=${requests.length + PENDING_PAGE_SIZE}`} scroll={false} className="font-semibold text-brand-700 hover:underline">
            {t('showMore', { count: Math.min(PENDING_PAGE_SIZE, count - requests.length) })}
          </Link>
          {count <= PENDING_LIMIT && (
            <Link href={`/dashboard/requests?show=${count}`} scroll={false} className="font-semibold text-brand-700 hover:underline">
              {t('showAll', { count })}
            </Link>
          )}
        </nav>
      )}
    </section>
  );
}

/** How many pending requests to show: `?show=` rounded up to whole pages, within the limits. */
function shownOf(value: string | string[] | undefined): number {
  const asked = Number(Array.isArray(value) ? value[0] : value) || PENDING_PAGE_SIZE;
  return Math.min(PENDING_LIMIT, Math.max(PENDING_PAGE_SIZE, Math.ceil(asked / PENDING_PAGE_SIZE) * PENDING_PAGE_SIZE));
}

async function HistoryTab({
  actor,
  profileId,
  tz,
  country,
  now,
  page,
  locale,
}: {
  actor: Actor;
  profileId: string;
  tz: string;
  country?: string;
  now: Date;
  page: number;
  locale: Locale;
}) {
  const history = await listRequestHistory(actor, profileId, { page }, { now });
  const t = await getTranslations('requests.page');
  return (
    <section aria-label={t('historyLabel')} className="space-y-3">
      <RequestHistory entries={history.entries} timeZone={tz} linkAs={Link} country={country} locale={locale} />
      {(history.page > 1 || history.hasMore) && (
        <nav aria-label={t('historyPages')} className="flex justify-between">
          {history.page > 1 ? (
            <Link href={`/dashboard/requests?tab=history&page=${history.page - 1}`} className="text-brand-700 hover:underline">
              {t('newer')}
            </Link>
          ) : (
            <span />
          )}
          {history.hasMore && (
            <Link href={`/dashboard/requests?tab=history&page=${history.page + 1}`} className="text-brand-700 hover:underline">
              {t('older')}
            </Link>
          )}
        </nav>
      )}
    </section>
  );
}

function TabLink({ href, current, children }: { href: string; current: boolean; children: React.ReactNode }) {
  return (
    <Link
      href={href}
      aria-current={current ? 'page' : undefined}
      className={`-mb-px border-b-2 px-4 py-2 text-sm font-semibold ${current ? 'border-brand-700 text-brand-800' : 'border-transparent text-slate-700 hover:text-slate-900'}`}
    >
      {children}
    </Link>
  );
}

import type { Metadata } from 'next';
import Link from 'next/link';
import { cache } from 'react';
import { AutoRefresh } from '@/components/requests/auto-refresh';
import { DecisionBoard } from '@/components/requests/decision-board';
import { PendingRequestList } from '@/components/requests/pending-request-list';
import { PendingTitle } from '@/components/requests/pending-title';
import { RequestHistory } from '@/components/requests/request-history';
import { countPending, listPendingRequests, listRequestHistory, PENDING_LIMIT, PENDING_PAGE_SIZE } from '@/lib/appointments';
import type { Actor } from '@/lib/auth/actor';
import { mayDecide } from '@/lib/approval';
import { currentPractice, requireActor } from '@/lib/auth/session';
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
  if (!practice) return { title: 'Requests' };
  return { title: `(${await pendingCount(actor, practice.profileId)}) Requests` };
}

export default async function RequestsPage({ searchParams }: PageProps) {
  const sp = await searchParams;
  const actor = await requireActor();
  const practice = await currentPractice(actor);
  if (!practice) return null;
  const tab = sp.tab === 'history' ? 'history' : 'pending';
  const tz = practice.timeZone;
  const now = new Date();
  const count = await pendingCount(actor, practice.profileId);
  const canDecide = await mayDecide(actor, practice.profileId);

  return (
    <div className="space-y-4">
      <AutoRefresh />
      <PendingTitle count={count} />
      <div>
        <h1 className="text-2xl font-bold">Requests</h1>
        <p className="text-slate-700">
          {practice.displayName} · times in {tz}
        </p>
      </div>
      <nav aria-label="Requests" className="flex gap-1 border-b border-slate-200">
        <TabLink href="/dashboard/requests" current={tab === 'pending'}>
          Pending <span data-testid="pending-tab-count">({count})</span>
        </TabLink>
        <TabLink href="/dashboard/requests?tab=history" current={tab === 'history'}>
          History
        </TabLink>
      </nav>
      {tab === 'pending' ? (
        <PendingTab actor={actor} profileId={practice.profileId} tz={tz} country={practice.country} now={now} canDecide={canDecide} count={count} shown={shownOf(sp.show)} />
      ) : (
        <HistoryTab actor={actor} profileId={practice.profileId} tz={tz} country={practice.country} now={now} page={pageNumber(sp.page)} />
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
  shown,
}: {
  actor: Actor;
  profileId: string;
  tz: string;
  country?: string;
  now: Date;
  canDecide: boolean;
  count: number;
  shown: number;
}) {
  const requests = await listPendingRequests(actor, profileId, { limit: shown }, { now });
  const list = <PendingRequestList requests={requests} timeZone={tz} now={now} profileId={profileId} canDecide={canDecide} linkAs={Link} country={country} />;
  return (
    <section aria-label="Pending requests" className="space-y-3">
      <p className="text-sm text-slate-700">
        Nearest deadline first. A request not answered by its deadline expires and its time is free again. This list updates on its own.
      </p>
      {!canDecide && (
        <p role="note" className="rounded-md border border-slate-300 bg-white p-3 text-sm text-slate-800">
          Only the practice&apos;s doctors answer requests here; you can see them.
        </p>
      )}
      {/* Issue 15: moves of appointments waiting for an answer. */}
      <MovesSection actor={actor} profileId={profileId} tz={tz} now={now} canDecide={canDecide} />
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
        <nav aria-label="More pending requests" className="flex flex-wrap items-center gap-3 rounded-lg border border-slate-200 bg-white p-3 text-sm">
          <span className="text-slate-700">
            Showing the {requests.length} nearest deadlines of {count}.
          </span>
          <Link href={`/dashboard/requests?show=${requests.length + PENDING_PAGE_SIZE}`} scroll={false} className="font-semibold text-brand-700 hover:underline">
            Show {Math.min(PENDING_PAGE_SIZE, count - requests.length)} more
          </Link>
          {count <= PENDING_LIMIT && (
            <Link href={`/dashboard/requests?show=${count}`} scroll={false} className="font-semibold text-brand-700 hover:underline">
              Show all {count}
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

async function HistoryTab({ actor, profileId, tz, country, now, page }: { actor: Actor; profileId: string; tz: string; country?: string; now: Date; page: number }) {
  const history = await listRequestHistory(actor, profileId, { page }, { now });
  return (
    <section aria-label="Request history" className="space-y-3">
      <RequestHistory entries={history.entries} timeZone={tz} linkAs={Link} country={country} />
      {(history.page > 1 || history.hasMore) && (
        <nav aria-label="History pages" className="flex justify-between">
          {history.page > 1 ? (
            <Link href={`/dashboard/requests?tab=history&page=${history.page - 1}`} className="text-brand-700 hover:underline">
              ← Newer
            </Link>
          ) : (
            <span />
          )}
          {history.hasMore && (
            <Link href={`/dashboard/requests?tab=history&page=${history.page + 1}`} className="text-brand-700 hover:underline">
              Older →
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

'use client';

/**
 * What a person sees when a page could not be made: most often the database was briefly out of
 * reach. Plain words and a way to try again; the server's log has the reference (digest).
 */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-6 py-16">
      <h1 className="text-2xl font-bold tracking-tight">This page could not be shown just now</h1>
      <p className="mt-3 text-slate-700">
        The service is briefly unavailable. Nothing you sent was lost or changed. Please try again in a few seconds.
      </p>
      <button
        type="button"
        onClick={reset}
        className="mt-6 w-fit rounded-md bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2"
      >
        Try again
      </button>
      {error.digest && <p className="mt-6 text-xs text-slate-600">Reference: {error.digest}</p>}
    </main>
  );
}

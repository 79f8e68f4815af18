'use client';

/**
 * What a person sees when a page could not be made: most often the database was briefly out of
 * reach. Plain words and a way to try again; the server's log has the reference (digest).
 */
// Its own words in both languages: this page must show even when the server could not make a page
// (no catalog from the server); the language is the page's <html lang> (the root layout's).
const WORDS = {
  en: {
    title: 'This page could not be shown just now',
    text: 'The service is briefly unavailable. Nothing you sent was lost or changed. Please try again in a few seconds.',
    again: 'Try again',
    reference: 'Reference:',
  },
  es: {
    title: 'Ahora mismo no se puede mostrar esta página',
    text: 'El servicio no está disponible por unos momentos. No se ha perdido ni cambiado nada de lo que envió. Vuelva a intentarlo dentro de unos segundos.',
    again: 'Volver a intentarlo',
    reference: 'Referencia:',
  },
};

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const w = typeof document !== 'undefined' && document.documentElement.lang === 'es' ? WORDS.es : WORDS.en;
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-6 py-16">
      <h1 className="text-2xl font-bold tracking-tight">{w.title}</h1>
      <p className="mt-3 text-slate-700">{w.text}</p>
      <button
        type="button"
        onClick={reset}
        className="mt-6 w-fit rounded-md bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2"
      >
        {w.again}
      </button>
      {error.digest && (
        <p className="mt-6 text-xs text-slate-600">
          {w.reference} {error.digest}
        </p>
      )}
    </main>
  );
}

import Link from 'next/link';

export default function HomePage() {
  return (
    <main className="mx-auto flex min-h-screen max-w-2xl flex-col justify-center gap-8 px-6 py-16">
      <div>
        <p className="text-sm font-semibold uppercase tracking-wide text-brand-700">Consulta</p>
        <h1 className="mt-2 text-4xl font-bold tracking-tight">Appointments your doctor confirms</h1>
        <p className="mt-4 text-lg text-slate-700">
          Ask for a time on your doctor&apos;s page. The practice answers before a deadline, and once
          confirmed you get a reminder by e-mail or WhatsApp.
        </p>
      </div>
      <div className="flex flex-wrap gap-4">
        <Link href="/book/demo" className="rounded-lg bg-brand-700 px-5 py-3 font-semibold text-white hover:bg-brand-800">
          Book with the demo practice
        </Link>
        <Link href="/login" className="rounded-lg border border-slate-300 bg-white px-5 py-3 font-semibold text-slate-900 hover:bg-slate-100">
          Sign in (doctors and staff)
        </Link>
      </div>
    </main>
  );
}

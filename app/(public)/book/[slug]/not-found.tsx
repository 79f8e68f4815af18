import Link from 'next/link';
import { PublicShell } from '@/components/booking/public-shell';

export default function PracticeNotFound() {
  return (
    <PublicShell>
      <h1 className="text-3xl font-bold tracking-tight">Practice not found</h1>
      <p className="mt-4 text-lg text-slate-700">
        There is no practice at this address, or it no longer takes online requests. Check the link you were given.
      </p>
      <p className="mt-8">
        <Link href="/" className="font-semibold text-brand-700 underline underline-offset-2">
          Back to the home page
        </Link>
      </p>
    </PublicShell>
  );
}

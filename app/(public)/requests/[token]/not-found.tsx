import Link from 'next/link';
import { PublicShell } from '@/components/booking/public-shell';

export default function RequestNotFound() {
  return (
    <PublicShell>
      <h1 className="text-3xl font-bold tracking-tight">Request not found</h1>
      <p className="mt-4 text-lg text-slate-700">
        This link does not match any request. Check that you copied the whole address from your confirmation.
      </p>
      <p className="mt-8">
        <Link href="/" className="font-semibold text-brand-700 underline underline-offset-2">
          Back to the home page
        </Link>
      </p>
    </PublicShell>
  );
}

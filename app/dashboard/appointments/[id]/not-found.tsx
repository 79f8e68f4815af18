import Link from 'next/link';

export default function AppointmentNotFound() {
  return (
    <div className="space-y-2">
      <h1 className="text-2xl font-bold">No such appointment</h1>
      <p className="text-slate-700">This practice has no appointment at that address. If you work in several practices, check the practice chosen at the top.</p>
      <p>
        <Link href="/dashboard/appointments" className="text-brand-700 hover:underline">
          Back to the agenda
        </Link>
      </p>
    </div>
  );
}

'use client';

import { useState } from 'react';

/** The booking link in a read-only box with a copy button (the box can be selected by hand too). */
export function CopyLink({ url, labels }: { url: string; labels: { link: string; copy: string; copied: string } }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="flex flex-wrap items-center gap-2">
      <label htmlFor="booking-link" className="sr-only">
        {labels.link}
      </label>
      <input id="booking-link" readOnly value={url} onFocus={(e) => e.target.select()} className="min-w-0 flex-1 rounded-md border border-slate-400 bg-slate-50 px-3 py-2 font-mono text-sm" />
      <button
        type="button"
        className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-semibold hover:bg-slate-100"
        onClick={async () => {
          try {
            await navigator.clipboard.writeText(url);
            setCopied(true);
          } catch {
            setCopied(false);
          }
        }}
      >
        {labels.copy}
      </button>
      <span aria-live="polite" className="text-sm text-green-800">
        {copied ? labels.copied : ''}
      </span>
    </div>
  );
}

import type { Metadata, Viewport } from 'next';
import { getLocale } from 'next-intl/server';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Consulta — doctor appointments', template: '%s · Consulta' },
  description: 'Request an appointment with your doctor; doctors approve, patients get reminders.',
  // public/: the icon in two forms, and the web manifest (its theme colour is --color-brand-600).
  icons: {
    icon: [
      { url: '/favicon.ico', sizes: '16x16 32x32 48x48' },
      { url: '/icon.svg', type: 'image/svg+xml' },
    ],
    apple: [{ url: '/icon-192.png', sizes: '192x192', type: 'image/png' }],
  },
  manifest: '/manifest.webmanifest',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1, themeColor: '#0b5cad' };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // The page's language (lib/i18n/resolve.ts). No NextIntlClientProvider here: each area's layout
  // passes its client components only the messages they read (lib/i18n/catalogs.ts pickMessages).
  const locale = await getLocale();
  return (
    <html lang={locale}>
      <body className="min-h-screen">{children}</body>
    </html>
  );
}

import createNextIntlPlugin from 'next-intl/plugin';
import { securityHeaders } from './lib/auth/security-headers.mjs';

// next-intl without locale routing: the request's language is decided in lib/i18n/resolve.ts.
const withNextIntl = createNextIntlPlugin('./lib/i18n/request.ts');

/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite loads its WASM and data files from its own package folder; argon2 is a native addon.
  serverExternalPackages: ['@electric-sql/pglite', '@node-rs/argon2', 'pg', 'ws', '@neondatabase/serverless'],
  // A second build (the browser tests, the benchmarks) can live beside the developer's own.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  poweredByHeader: false,
  // `next dev` serves its scripts to 127.0.0.1 too (the browser tests and local tools use it).
  allowedDevOrigins: ['127.0.0.1'],
  async headers() {
    return [
      { source: '/:path*', headers: securityHeaders },
      // The request status page (a token in its path) sends no referrer to other sites at all;
      // the last matching entry wins.
      { source: '/requests/:path*', headers: [{ key: 'Referrer-Policy', value: 'same-origin' }] },
    ];
  },
};

export default withNextIntl(nextConfig);

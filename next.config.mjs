/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite loads its WASM and data files from its own package folder; argon2 is a native addon.
  serverExternalPackages: ['@electric-sql/pglite', '@node-rs/argon2', 'pg', 'ws', '@neondatabase/serverless'],
  // A second build (the browser tests, the benchmarks) can live beside the developer's own.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  poweredByHeader: false,
  // `next dev` serves its scripts to 127.0.0.1 too (the browser tests and local tools use it).
  allowedDevOrigins: ['127.0.0.1'],
};

export default nextConfig;

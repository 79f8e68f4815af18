export async function register() {
  // Only the Node.js server process; never during `next build` (which runs without AUTH_SECRET).
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.NEXT_PHASE === 'phase-production-build') return;
  // Refuses to start (one line, exit 1) without a setting production needs, e.g. AUTH_SECRET.
  const { startServer } = await import('./lib/bootstrap');
  await startServer();
}

export async function register() {
  // Only the Node.js server process; never during `next build`.
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.NEXT_PHASE === 'phase-production-build') return;
  const { bootServer } = await import('./lib/bootstrap');
  await bootServer();
}

export async function register() {
  // Only the Node.js server process; never during `next build` (which runs without AUTH_SECRET).
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.NEXT_PHASE === 'phase-production-build') return;
  const { bootServer } = await import('./lib/bootstrap');
  try {
    await bootServer();
  } catch (err) {
    // A setting the server cannot run without (lib/env): one readable line, and no server.
    if (err instanceof Error && err.name === 'EnvironmentError') {
      console.error(`[boot] ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
}

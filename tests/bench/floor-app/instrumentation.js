// The floor app starts nothing: without this file Next picks up the project's own instrumentation.ts
// (the app's bootstrap and local sweeps), which a minimal route does not have.
export function register() {}

import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The floor app of bench:roundtrips: built and started by the benchmark, with the root's node_modules.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const config = {
  distDir: '.next-floor',
  turbopack: { root },
  outputFileTracingRoot: root,
  typescript: { ignoreBuildErrors: true },
};

export default config;

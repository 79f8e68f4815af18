import next from 'eslint-config-next';
import nextTs from 'eslint-config-next/typescript';

// The layers of DESIGN.md's Architecture section: routes, components and workflows call lib/;
// only lib/ talks to the database; db/ (schema, client, migrations, seed rows) is the bottom.
const onlyLibTalksToTheDatabase = {
  regex: '^(@/db|(\\.{1,2}/)+db)(/|$)',
  message: 'Only lib/ talks to the database (DESIGN.md): call a lib function',
};
const dbImportsNothingAbove = {
  regex: '^(@/lib|(\\.{1,2}/)+lib)(/|$)',
  message: 'db/ imports nothing from lib/ (DESIGN.md): move the code that needs lib into lib/',
};

const config = [
  ...next,
  ...nextTs,
  { ignores: ['.next/**', '.next-*/**', '**/.next-*/**', '.data/**', 'node_modules/**', 'db/migrations/**', 'test-results/**', 'playwright-report/**', 'next-env.d.ts'] },
  {
    files: ['app/**/*.{ts,tsx}', 'components/**/*.{ts,tsx}', 'inngest/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { patterns: [onlyLibTalksToTheDatabase] }] },
  },
  {
    files: ['db/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [dbImportsNothingAbove] }] },
  },
];

export default config;

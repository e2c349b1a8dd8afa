// Layering (STYLE.md): shared imports nothing of ours; workers, preload and renderer import
// shared only; only src/main/index.ts and its window/menu neighbours may import electron.
import tseslint from 'typescript-eslint';

const noNode = { group: ['node:*'], message: 'src/shared is pure TypeScript: no node:* imports.' };
const noElectron = { group: ['electron'], message: 'Only the Electron shell (src/main/index.ts, src/main/shell/*) imports electron.' };

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'dist/**', 'packages/**', 'test/fixtures/**', '.scratch/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [noNode, noElectron, { group: ['../main/*', '../workers/*', '../renderer/*', '../preload/*', '../../*'], message: 'src/shared imports nothing of ours outside shared.' }] },
      ],
    },
  },
  {
    files: ['src/workers/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [noElectron, { group: ['**/main/**', '**/renderer/**', '**/preload/**'], message: 'src/workers imports src/shared only.' }] },
      ],
    },
  },
  {
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/index.ts', 'src/main/shell/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [noElectron, { group: ['**/workers/**', '**/renderer/**', '**/preload/**'], message: 'src/main reaches workers only through a piscina filename, never by import.' }] },
      ],
    },
  },
  {
    files: ['src/main/index.ts', 'src/main/shell/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/workers/**', '**/renderer/**', '**/preload/**'], message: 'The shell imports main and shared only.' }] },
      ],
    },
  },
  {
    files: ['src/preload/**/*.ts', 'src/renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/main/**', '**/workers/**', 'node:*'], message: 'preload and renderer import src/shared only.' }] },
      ],
    },
  },
);

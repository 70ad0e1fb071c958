// Lint rules, including the layering rules of the architecture: the core never imports Electron,
// the renderer never imports Node or main-process code, and only the contract crosses the boundary.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs', 'fs/promises',
  'http', 'http2', 'https', 'net', 'os', 'path', 'perf_hooks', 'process', 'readline', 'stream', 'tls',
  'url', 'util', 'v8', 'vm', 'worker_threads', 'zlib',
];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.venv/**', '.scratch/**', 'models/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js', 'bench/**', 'e2e/**', 'src-main/**', 'test-support/**', 'src-preload/**', '*.config.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // Config files must default-export for their tools.
    files: ['*.config.ts', '*.config.js'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // The core: plain Node modules shared by Electron, the CLI and browser mode.
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/index.ts', 'src-main/electron/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The core never imports Electron; put Electron glue in src-main/electron/.' }],
          patterns: [
            { group: ['**/src-renderer/**', '../../src-renderer/**'], message: 'The core never imports the renderer.' },
            { group: ['**/test-support/**'], message: 'What ships never imports test servers, harnesses or synthetic data.' },
          ],
        },
      ],
    },
  },
  {
    // Tests of the core may use test-support/ (and still never import Electron or the renderer).
    files: ['src-main/**/*.test.ts'],
    ignores: ['src-main/electron/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The core never imports Electron; put Electron glue in src-main/electron/.' }],
          patterns: [{ group: ['**/src-renderer/**', '../../src-renderer/**'], message: 'The core never imports the renderer.' }],
        },
      ],
    },
  },
  {
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The renderer talks to main only through the contract (src-renderer/src/api).' },
            ...nodeBuiltins.map((name) => ({ name, message: 'The renderer never imports Node.' })),
          ],
          patterns: [
            { group: ['node:*'], message: 'The renderer never imports Node.' },
            { group: ['**/src-main/**', '../../src-main/**'], message: 'The renderer never imports main-process code.' },
            { group: ['**/test-support/**'], message: 'The renderer never imports test support.' },
            {
              group: ['**/src-preload/**', '!**/src-preload/contract', '!**/src-preload/contract-data'],
              message: 'Only the contract crosses into the renderer.',
            },
          ],
        },
      ],
    },
  },
  {
    // IPC goes through one wrapper on each side: electron/ipc.ts in main, index.ts in the preload.
    files: ['src-main/index.ts', 'src-main/electron/**/*.ts'],
    ignores: ['src-main/electron/ipc.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', importNames: ['ipcMain'], message: 'Register IPC through src-main/electron/ipc.ts.' }] },
      ],
    },
  },
  {
    files: ['src-preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/src-main/**', '**/src-renderer/**', '**/test-support/**'], message: 'The preload knows only the contract.' },
          ],
        },
      ],
    },
  },
);

// A small rule set on top of the recommended ones (not type-checked, so it stays fast); Prettier
// owns formatting. The dependency rule is a test: test/architecture/dependency-rule.test.ts.
import js from '@eslint/js'
import { defineConfig, globalIgnores } from 'eslint/config'
import tseslint from 'typescript-eslint'

const erasableOnly = 'one source tree runs on Node, Bun and Deno: erasable TypeScript only'
const configOnly = 'read configuration once, through loadConfig(env) in runtimes/config.ts'

// Places that may print and read the environment: entry points, benchmarks and tests (also the
// unit tests next to their code, which find their services through TEST_* variables).
const edges = ['runtimes/**', 'bench/**', 'test/**', '**/*.test.ts']

export default defineConfig(
  globalIgnores(['data/', 'coverage/', 'test/fixtures/', 'scratch/', '.build/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'TSEnumDeclaration',
          message: `Use an as-const object, not enum (${erasableOnly}).`,
        },
        {
          // `declare global`, `declare module 'x'` and ambient namespaces stay allowed: they erase.
          selector:
            "TSModuleDeclaration[kind='namespace'][declare=false]:not(TSModuleDeclaration[declare=true] *), TSModuleDeclaration[kind='module'][id.type='Identifier']",
          message: `Use a module, not a namespace (${erasableOnly}).`,
        },
        {
          selector: 'TSParameterProperty',
          message: `Declare the field and assign it, not a parameter property (${erasableOnly}).`,
        },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      // The namespace ban above says it once and lets `declare global { namespace X }` through.
      '@typescript-eslint/no-namespace': 'off',
      // `_name` marks a parameter an interface requires but this implementation does not use.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    rules: {
      'no-console': 'error',
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: `No process.env here: ${configOnly}.` },
        { object: 'Deno', property: 'env', message: `No Deno.env here: ${configOnly}.` },
        { object: 'Bun', property: 'env', message: `No Bun.env here: ${configOnly}.` },
      ],
      'no-restricted-imports': [
        'error',
        ...['process', 'node:process'].map((name) => ({
          name,
          importNames: ['env'],
          message: `No env import here: ${configOnly}.`,
        })),
      ],
    },
  },
  {
    files: edges,
    rules: {
      'no-console': 'off',
      'no-restricted-properties': 'off',
      'no-restricted-imports': 'off',
    },
  },
)

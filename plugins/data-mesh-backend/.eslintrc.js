// Capability folders import only from shared/ (and packages), never from each
// other or from the wiring in plugin.ts; shared/ imports from none of them.
const capabilities = ['governance', 'quality', 'lineage', 'access'];
const within = folder => [`**/${folder}`, `**/${folder}/**`];
const boundary = folder => ({
  group: [
    ...capabilities.filter(other => other !== folder).flatMap(within),
    '**/plugin',
  ],
  message:
    'Capabilities meet only through shared/ and what plugin.ts wires; see "Adding a capability" in the README.',
});
const tests = ['**/*.test.*', '**/__testUtils__/**'];

module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  overrides: [...capabilities, 'shared'].flatMap(folder => [
    {
      files: [`src/${folder}/**`],
      excludedFiles: tests,
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              // The defaults of @backstage/cli, which this rule replaces here.
              {
                group: [
                  '*.stories*',
                  '*.test*',
                  '**/__testUtils__/**',
                  '**/__mocks__/**',
                ],
              },
              boundary(folder),
            ],
          },
        ],
      },
    },
    {
      files: tests.map(test => `src/${folder}/${test}`),
      rules: {
        'no-restricted-imports': ['error', { patterns: [boundary(folder)] }],
      },
    },
  ]),
});

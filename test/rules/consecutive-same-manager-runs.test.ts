import rule from '../../src/rules/consecutive-same-manager-runs.js';
import { ruleTester } from '../support/rule-tester.js';

const apt = (pkg: string) =>
  `RUN apt-get update && apt-get install -y --no-install-recommends ${pkg} && rm -rf /var/lib/apt/lists/*`;

ruleTester(rule, {
  valid: [
    {
      name: 'one RUN per manager (split-package-managers)',
      code: `FROM python:3.12\n${apt('gcc')}\nRUN pip install --no-cache-dir flask==3.0.3\n`,
    },
    { name: 'not consecutive', code: `FROM debian\n${apt('gcc')}\nCOPY . /src\n${apt('make')}\n` },
    {
      name: 'different mounts',
      code: `FROM debian\n${apt('gcc')}\nRUN --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y make\n`,
    },
    {
      name: 'a RUN with two managers',
      code: `FROM python\nRUN apt-get install -y gcc && pip install x\nRUN apt-get install -y make\n`,
    },
    { name: 'same manager, not an install', code: 'FROM debian\nRUN apt-get update\nRUN apt-get clean\n' },
    { name: 'trivial then real work', code: 'FROM debian\nRUN mkdir -p /app\nRUN make -C /src\n' },
    { name: 'across stages', code: `FROM debian AS a\n${apt('gcc')}\nFROM debian\n${apt('make')}\n` },
  ],
  invalid: [
    {
      name: 'two apt installs in a row',
      code: `FROM debian\n${apt('gcc')}\n# the build tools\n${apt('make')}\n`,
      errors: [{ messageId: 'sameManager', line: 4, column: 1, endLine: 4, endColumn: 101 }],
      output: null,
    },
    {
      name: 'trivial bookkeeping',
      code: 'FROM debian\nRUN mkdir -p /app\nRUN chown 1000 /app && ln -s /app /srv/app\n',
      errors: [
        {
          messageId: 'trivial',
          line: 3,
          column: 1,
          endLine: 3,
          endColumn: 43,
          message:
            'This RUN and the one before it (line 2) only do file bookkeeping (`mkdir`, `chown`, `ln`): one RUN makes one layer instead of two.',
        },
      ],
      output: null,
    },
  ],
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import rule from '../../src/rules/cd-instead-of-workdir.js';
import { lint } from '../../src/rules/lint.js';
import { ruleTester } from '../support/rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: 'cd followed by the commands that need it', code: 'FROM debian\nRUN cd /src && make && make install\n' },
    { name: 'cd in a subshell', code: 'FROM debian\nRUN (cd /src && make); (cd /tmp)\n' },
    { name: 'different directories', code: 'FROM debian\nRUN cd /a && make\nRUN cd /b && make\n' },
    { name: 'same cd in different stages', code: 'FROM debian\nRUN cd /a && make\nFROM debian\nRUN cd /a && make\n' },
    { name: 'relative directories are not compared', code: 'FROM debian\nRUN cd src && make\nRUN cd src && make test\n' },
    { name: 'WORKDIR', code: 'FROM debian\nWORKDIR /app\nRUN make\n' },
  ],
  invalid: [
    {
      name: 'a RUN of only cd',
      code: 'FROM node\nRUN cd /app\nRUN npm ci\n',
      errors: [{ messageId: 'noEffect', line: 2, column: 5, endLine: 2, endColumn: 12 }],
      output: null,
    },
    {
      name: 'cd at the end of a RUN',
      code: 'FROM node\nRUN mkdir -p /app && cd /app\n',
      errors: [{ messageId: 'noEffect', line: 2, column: 22, endLine: 2, endColumn: 29 }],
      output: null,
    },
    {
      name: 'the same cd opening several RUNs',
      code: 'FROM debian\nRUN cd /src && ./configure\nRUN cd /src && make\nRUN cd /src && make install\n',
      errors: [
        {
          messageId: 'repeated',
          line: 3,
          column: 5,
          endLine: 3,
          endColumn: 12,
          message: 'Every RUN here starts with `cd /src` (also at line 2). Say it once with `WORKDIR /src`.',
        },
        { messageId: 'repeated', line: 4, column: 5, endLine: 4, endColumn: 12 },
      ],
      output: null,
    },
  ],
});

test('a RUN of only cd suggests WORKDIR', () => {
  const [finding] = lint('FROM node\nRUN cd /app\n', { rules: [rule] }).findings;
  assert.deepEqual(finding.suggestions, [
    { description: 'Replace the RUN with WORKDIR /app', edits: [{ start: 10, end: 21, text: 'WORKDIR /app' }] },
  ]);
});

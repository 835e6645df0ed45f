import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderLintGithub } from '../../src/report/github.js';
import { renderLintJson } from '../../src/report/json.js';
import { renderLintTty } from '../../src/report/tty.js';
import { lint } from '../../src/rules/lint.js';

const dirty = lint('FROM node\n\tADD https://example.com/a%b,c /a\n', { file: 'web/Dockerfile' });
const clean = lint('FROM alpine:3.20\n', { file: 'clean/Dockerfile' });
const broken = lint('FROM a:1\nENV PATH\n', { file: 'bad/Dockerfile' });

test('json: exactly the documented shape, plus an error for files that do not parse', () => {
  assert.deepEqual(JSON.parse(renderLintJson([dirty, clean, broken])), {
    files: [
      {
        path: 'web/Dockerfile',
        findings: [
          {
            rule: 'unpinned-base-image',
            severity: 'warning',
            message: 'base image node has no tag: it means "latest", which moves',
            line: 1,
            column: 6,
            endLine: 1,
            endColumn: 10,
            fixable: false,
          },
          {
            rule: 'add-url-without-checksum',
            severity: 'warning',
            message:
              'ADD downloads https://example.com/a%b,c without --checksum: BuildKit must fetch it on every build to know if it changed',
            line: 2,
            column: 6,
            endLine: 2,
            endColumn: 31,
            fixable: false,
          },
        ],
      },
      { path: 'clean/Dockerfile', findings: [] },
      { path: 'bad/Dockerfile', findings: [], error: { message: broken.parseError?.reason, line: 2, column: 5 } },
    ],
  });
});

test('github: one workflow command per finding, data and properties escaped', () => {
  assert.equal(
    renderLintGithub([dirty, broken]),
    [
      '::warning file=web/Dockerfile,line=1,col=6,endLine=1,endColumn=10,title=unpinned-base-image::base image node has no tag: it means "latest", which moves',
      '::warning file=web/Dockerfile,line=2,col=6,endLine=2,endColumn=31,title=add-url-without-checksum::ADD downloads https://example.com/a%25b,c without --checksum: BuildKit must fetch it on every build to know if it changed',
      `::error file=bad/Dockerfile,line=2,col=5,title=parse error::${broken.parseError?.reason}`,
      '',
    ].join('\n'),
  );
  const odd = { ...clean, file: 'a:b,c/Dockerfile', findings: [{ ...dirty.findings[0], message: 'two\nlines' }] };
  assert.equal(
    renderLintGithub([odd]),
    '::warning file=a%3Ab%2Cc/Dockerfile,line=1,col=6,endLine=1,endColumn=10,title=unpinned-base-image::two%0Alines\n',
  );
});

test('tty: grouped by file, code frame with the caret under the range, tabs kept, summary', () => {
  assert.equal(
    renderLintTty([dirty, clean], { color: false }),
    [
      'web/Dockerfile',
      '  1:6  warning  base image node has no tag: it means "latest", which moves  unpinned-base-image',
      '  > 1 | FROM node',
      '      |      ^^^^',
      '  2:6  warning  ADD downloads https://example.com/a%b,c without --checksum: BuildKit must fetch it on every build to know if it changed  add-url-without-checksum',
      '    1 | FROM node',
      '  > 2 | \tADD https://example.com/a%b,c /a',
      '      | \t    ^^^^^^^^^^^^^^^^^^^^^^^^^',
      '',
      '2 problems in 2 files (0 errors, 2 warnings, 0 info)',
      '',
    ].join('\n'),
  );
  assert.equal(renderLintTty([clean], { color: false }), '✓ no problems in 1 file\n');
});

test('tty: colors only when asked', () => {
  assert.doesNotMatch(renderLintTty([dirty], { color: false }), /\u001b\[/);
  assert.match(renderLintTty([dirty], { color: true }), /\u001b\[33mwarning/);
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { addPackage, packageManagersByLine } from '../../src/cache/what-if.js';
import { repoRoot } from '../support/paths.js';

const seed = (path: string) => readFileSync(join(repoRoot, 'examples', 'seed', path), 'utf8');

test('adding rich to the pip install gives the article’s edited Dockerfiles byte for byte', () => {
  assert.deepEqual(addPackage(seed('Dockerfile'), 'pip', 'rich'), { text: seed('rich/Dockerfile'), line: 3 });
  assert.deepEqual(addPackage(seed('split/Dockerfile'), 'pip', 'rich'), { text: seed('split-rich/Dockerfile'), line: 7 });
});

test('the package goes after the last package of the last install by that manager, not into other commands', () => {
  const text = 'FROM alpine\nRUN pip install a b && echo pip install\nRUN apk add c\nRUN pip install --no-cache-dir d # note\n';
  assert.equal(
    addPackage(text, 'pip', 'x')?.text,
    'FROM alpine\nRUN pip install a b && echo pip install\nRUN apk add c\nRUN pip install --no-cache-dir d x # note\n',
  );
  assert.equal(addPackage(text, 'apk', 'y')?.text.split('\n')[2], 'RUN apk add c y');
  assert.equal(addPackage(text, 'npm', 'z'), undefined);
  assert.equal(addPackage('FROM alpine\nRUN ["pip", "install", "a"]\n', 'pip', 'z'), undefined, 'exec form has no script');
});

test('package managers per RUN line, as written', () => {
  assert.deepEqual([...packageManagersByLine(seed('Dockerfile'))], [[3, ['apt-get', 'pip3']]]);
  assert.deepEqual(
    [...packageManagersByLine(seed('split/Dockerfile'))],
    [
      [3, ['apt-get']],
      [7, ['pip3']],
    ],
  );
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDockerReference } from '../../src/image/ref.js';
import { uniqueTag } from './engine.js';

test('uniqueTag makes a valid image reference from any test name', () => {
  // Docker's path components must start and end with [a-z0-9] and separate them by `.`, `_`, `__` or dashes only.
  for (const name of [
    '-leading-dash',
    '.hidden',
    'trailing!',
    'a..b',
    'a._b',
    '__x__',
    'Ünïcode ÄÖ',
    '',
    '!!!',
    'x'.repeat(300),
  ]) {
    const tag = uniqueTag(name);
    assert.doesNotThrow(() => parseDockerReference(tag), `uniqueTag(${JSON.stringify(name)}) = ${tag}`);
    assert.match(tag, /^layerwise-test\/[a-z0-9]([a-z0-9-]*[a-z0-9])?:[0-9a-f]{12}$/);
  }
  assert.match(uniqueTag('Image History'), /^layerwise-test\/image-history:/);
  assert.notEqual(uniqueTag('same'), uniqueTag('same'));
});

/**
 * sequence.ts `normalise` returns a text that needs no joining or collapsing as it is: against the plain definition
 * (join continuations, collapse every run of \s, trim) on random texts of blanks, Unicode spaces, escape tokens and
 * line breaks.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { normalise } from '../../src/fix/sequence.js';

function definition(text: string, escapeToken: '\\' | '`'): string {
  const token = escapeToken === '`' ? '`' : '\\\\';
  return text
    .replace(new RegExp(`${token}[ \\t]*\\r?\\n`, 'g'), ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const pieces = ['a', 'bc', ' ', '  ', '\t', '\n', '\r\n', '\\', '`', '\u00a0', '\u2028', '\ufeff', '\v', '-y', '&&'];

test('normalise answers as its definition', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 12 }), fc.constantFrom('\\', '`'), (parts, token) => {
      const text = parts.join('');
      assert.equal(normalise(text, token as '\\' | '`'), definition(text, token as '\\' | '`'));
    }),
    { numRuns: 3000 },
  );
});

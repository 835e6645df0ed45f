// biome-ignore-all lint/suspicious/noTemplateCurlyInString: shell words with ${…} are the data under test
/**
 * BuildKit's own lexer tables (shell/envVarTest, shell/wordsTest), run as BuildKit's lex_test.go runs them, one
 * node:test case per row; then the options and edge cases those tables do not reach.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { expandWord, expandWordDetailed, expandWords, type LexOptions, WordError } from '../../src/dockerfile/words.js';
import { needsShared, sharedDir } from '../support/paths.js';

const shellDir = () => join(sharedDir!, 'conformance', 'buildkit', 'shell');

/** lex_test.go's TestShellParser4EnvVars environment. */
const ENV_VAR_TEST_ENV = ['PWD=/home', 'SHELL=bash', 'KOREAN=한국어', 'NULL='];

interface EnvVarRow {
  line: number;
  platform: string;
  source: string;
  expected: string;
}

function envVarRows(): EnvVarRow[] {
  const rows: EnvVarRow[] = [];
  readFileSync(join(shellDir(), 'envVarTest'), 'utf8')
    .split('\n')
    .forEach((text, index) => {
      if (text.startsWith('#') || text.trim() === '') return;
      const parts = text.trim().split('|');
      assert.equal(parts.length, 3, `envVarTest line ${index + 1} has ${parts.length} fields`);
      const [platform, source, expected] = parts.map((part) => part.trim());
      rows.push({ line: index + 1, platform, source, expected });
    });
  return rows;
}

// BuildKit runs A and U rows on Unix and A and W rows on Windows (where keys compare case-insensitively).
for (const platform of ['unix', 'windows'] as const) {
  describe(`envVarTest (${platform})`, needsShared(), () => {
    const tag = platform === 'unix' ? 'U' : 'W';
    for (const row of sharedDir ? envVarRows() : []) {
      if (row.platform !== 'A' && row.platform !== tag) continue;
      test(`line ${row.line}: ${row.platform}|${row.source}|${row.expected}`, () => {
        if (row.expected === 'error') {
          assert.throws(() => expandWord(row.source, ENV_VAR_TEST_ENV, { platform }), WordError);
        } else {
          assert.equal(expandWord(row.source, ENV_VAR_TEST_ENV, { platform }), row.expected);
        }
      });
    }
  });
}

// expandWord answers the usual shapes without the general lexer when the environment is a map on Unix: the same
// rows through that path.
describe('envVarTest (unix, environment as a map)', needsShared(), () => {
  const env = new Map(ENV_VAR_TEST_ENV.map((entry) => [entry.split('=')[0], entry.split('=')[1] ?? ''] as [string, string]));
  for (const row of sharedDir ? envVarRows() : []) {
    if (row.platform !== 'A' && row.platform !== 'U') continue;
    test(`line ${row.line}: ${row.source}`, () => {
      if (row.expected === 'error') assert.throws(() => expandWord(row.source, env), WordError);
      else assert.equal(expandWord(row.source, env), row.expected);
    });
  }
});

test('the quick path for usual words agrees with the general lexer (random words)', () => {
  const env = new Map([
    ['A', 'a b'],
    ['B_1', ''],
    ['1', 'one'],
    ['#', 'hash'],
    ['-', 'dash'],
  ]);
  const piece = fc.constantFrom(
    ...['$', '{', '}', ':', '-', '"', "'", '\\', '`', '<', ' ', '\t', 'A', 'a', 'B_1', '1', '2', '#', '_', '/', '=', '.'],
    ...['$A', '${A}', '${B_1}', '${1}', '$12', '${#}', '${A:-x}', '$$', 'é', '\ufeff', '\ud800', '<<', '\n'],
  );
  const word = fc.array(piece, { maxLength: 12 }).map((pieces) => pieces.join(''));
  fc.assert(
    fc.property(word, fc.constantFrom<'\\' | '`'>('\\', '`'), (text, escapeToken) => {
      const options = { escapeToken };
      let general: string | Error;
      try {
        general = expandWordDetailed(text, env, options).word;
      } catch (error) {
        general = error as Error;
      }
      if (general instanceof Error) assert.throws(() => expandWord(text, env, options), { message: general.message });
      else assert.equal(expandWord(text, env, options), general);
    }),
    { numRuns: 20000 },
  );
});

test('envVarTest has the 230 rows BuildKit ships', needsShared(), () => {
  assert.equal(envVarRows().length, 230);
});

interface WordsRow {
  line: number;
  source: string;
  expected: string[];
  env: string[];
}

/** lex_test.go's TestShellParser4Words reading: `ENV k=v` lines accumulate, `input|w1,w2` rows test. */
function wordsRows(): WordsRow[] {
  const rows: WordsRow[] = [];
  const env: string[] = [];
  readFileSync(join(shellDir(), 'wordsTest'), 'utf8')
    .split('\n')
    .forEach((text, index) => {
      if (text.startsWith('#') || (text === '' && index > 0)) return;
      if (text.startsWith('ENV ')) {
        env.push(text.slice(3).replace(/^ +/, ''));
        return;
      }
      const parts = text.split('|');
      assert.equal(parts.length, 2, `wordsTest line ${index + 1}`);
      rows.push({ line: index + 1, source: parts[0].trim(), expected: parts[1].replace(/^ +/, '').split(','), env: [...env] });
    });
  return rows;
}

function wordsOrError(source: string, env: string[], options: LexOptions): string[] {
  try {
    return expandWords(source, env, options);
  } catch (error) {
    if (error instanceof WordError) return ['error'];
    throw error;
  }
}

describe('wordsTest (normal mode)', needsShared(), () => {
  for (const row of sharedDir ? wordsRows() : []) {
    test(`line ${row.line}: ${row.source}`, () => {
      assert.deepEqual(wordsOrError(row.source, row.env, {}), row.expected);
    });
  }
});

/**
 * BuildKit's test means to run the file a second time with RawQuotes + SkipUnsetEnv, but its line reader is
 * already at the end of the file then, so no row is ever checked in that mode — and the rows' expectations do
 * not hold there. What each row gives in that mode, checked against BuildKit's lex.go compiled with Go:
 * rows whose result differs from the file's are listed by line; every other row must give the file's answer.
 */
const RAW_MODE_DIFFERENCES: Record<number, string[]> = {
  2: ['hello${hi}bye'],
  7: ['hello"abc  def"bye'],
  8: ['hello', '"abc  def"bye'],
  11: ['hello"  ab c"', 'def'],
  12: ['hello"  ab c"'],
  18: ['hello"ab c   "d'],
  20: ['hel"loab c   "'],
  21: ['hello" there  "'],
  26: ['hello"\\there"'],
  27: ['hello"\\there"'],
  28: ["hello'\\\\there'"],
  29: ["hello'\\there'"],
  30: ["hello'$there'"],
};

describe('wordsTest (raw quotes, unset variables kept)', needsShared(), () => {
  for (const row of sharedDir ? wordsRows() : []) {
    const expected = RAW_MODE_DIFFERENCES[row.line] ?? row.expected;
    test(`line ${row.line}: ${row.source}`, () => {
      assert.deepEqual(wordsOrError(row.source, row.env, { rawQuotes: true, skipUnsetEnv: true }), expected);
    });
  }
});

/** [input, env, options, ProcessWord result or WordError message, ProcessWords result]; each checked against BuildKit's lex.go. */
type Case = [string, string[], LexOptions, string | { error: string }, string[]?];

const cases: Record<string, Case[]> = {
  'raw escapes keep the escape character': [
    ['a\\ b', [], { rawEscapes: true }, 'a\\ b', ['a\\ b']],
    // before a character it does not escape, the kept escape is written twice (BuildKit does this)
    ['"a\\"b\\x"', [], { rawEscapes: true }, 'a\\"b\\\\x'],
    ['a\\', [], { rawEscapes: true }, 'a\\'],
    ['\\$HOME', ['HOME=/root'], { rawEscapes: true }, '\\$HOME'],
    // inside ${v:-…} escapes are processed even in raw mode; inside ${v#…} and ${v/…} they are always kept
    ['${X:-\\$Y}', [], { rawEscapes: true }, '$Y'],
    ['${X:-\\$Y}', [], {}, '$Y'],
  ],
  'the backtick escape token (# escape=`)': [
    ['a`$b', ['b=B'], { escapeToken: '`' }, 'a$b'],
    ['C:\\path\\$b', ['b=B'], { escapeToken: '`' }, 'C:\\path\\B'],
    ['"x`"y"', [], { escapeToken: '`' }, 'x"y'],
    [
      '"x\\"y"',
      [],
      { escapeToken: '`' },
      { error: 'failed to process "\\"x\\\\\\"y\\"": unexpected end of statement while looking for matching double-quote' },
    ],
    ['a` b', [], { escapeToken: '`' }, 'a b', ['a b']],
  ],
  'skipProcessQuotes leaves quotes as text (COPY heredoc bodies)': [
    ['"$a" \'$a\'', ['a=1'], { skipProcessQuotes: true }, '"1" \'1\'', ['"1"', "'1'"]],
    ["it's", [], { skipProcessQuotes: true }, "it's"],
  ],
  'skipUnsetEnv writes unset references back as they were': [
    ['$A ${B} ${C:-x} ${D#p} ${E//p/r} $1', [], { skipUnsetEnv: true }, '$A ${B} ${C:-x} ${D#p} ${E/p/r} $1'],
    ['$A', ['A='], { skipUnsetEnv: true }, ''],
  ],
  'UTF-8 and the byte-order mark': [
    ['\uFEFF$X', ['X=1'], {}, '1'],
    ['a\uFEFFb', [], {}, 'a\uFEFFb'],
    ['$é${안녕}', ['é=e', '안녕=hi'], {}, 'ehi'],
    ['$X\u00a0y', ['X=1'], {}, '1\u00a0y', ['1', 'y']],
    ['😀$X', ['X=🙂'], {}, '😀🙂'],
  ],
  'environment lists: a later entry wins, a bare name is empty': [
    ['$A', ['A=1', 'A=2'], {}, '2'],
    ['${A-unset}', ['A'], {}, ''],
    ['$a', ['A=1'], { platform: 'windows' }, '1'],
    ['$a', ['A=1'], {}, ''],
    ['$A', ['a=1', 'A=2'], { platform: 'windows' }, '2'],
  ],
  'prefix and suffix removal': [
    ['${F#*/}', ['F=a/b/c'], {}, 'b/c'],
    ['${F##*/}', ['F=a/b/c'], {}, 'c'],
    ['${F%/*}', ['F=a/b/c'], {}, 'a/b'],
    ['${F%%/*}', ['F=a/b/c'], {}, 'a'],
    ['${F#?}', ['F=😀x'], {}, 'x'],
    ['${F%\\*}', ['F=a*'], {}, 'a'],
    ['${F#[a]}', ['F=[a]b'], {}, 'b'],
    ['${F#*}', ['F=a\nb'], {}, 'a\nb'],
    ['${F##*}', ['F=a\nb'], {}, '\nb'],
    ['${F:#x}', ['F=x'], {}, { error: 'failed to process "${F:#x}": unsupported modifier (:#) in substitution' }],
    [
      '${F#\\x}',
      ['F=x'],
      {},
      { error: 'failed to process "${F#\\\\x}": invalid pattern (\\x) in substitution: invalid escape \'\\x\'' },
    ],
    [
      '${F%a\\x}',
      ['F=x'],
      {},
      { error: 'failed to process "${F%a\\\\x}": invalid pattern (\\xa) in substitution: invalid escape \'\\x\'' },
    ],
  ],
  'replacement: first, all, Go template expansion': [
    ['${F/o/0}', ['F=foo'], {}, 'f0o'],
    ['${F//o/0}', ['F=foo'], {}, 'f00'],
    ['${F//*/x}', ['F=abc'], {}, 'x'],
    ['${F//?/-}', ['F=a😀c'], {}, '---'],
    ['${F//o/<\\$0>}', ['F=foo'], {}, 'f<\\o><\\o>'],
    ['${F//o/$R}', ['F=foo', 'R=$0$0'], {}, 'foooo'],
    ['${F//o/$R}', ['F=foo', 'R=$$ ${1} $x'], {}, 'f$  $  '],
    ['${F/o/$R}', ['F=foo', 'R=$0'], {}, 'f$0o'],
    ['${F/\\//_}', ['F=a/b'], {}, 'a_b'],
    ['${F/o}', ['F=foo'], {}, { error: 'failed to process "${F/o}": syntax error: missing \'/\' in ${}' }],
  ],
  'errors carry BuildKit’s text': [
    ['${}', [], {}, { error: 'failed to process "${}": syntax error: bad substitution' }],
    ['${', [], {}, { error: 'failed to process "${": syntax error: missing \'}\'' }],
    ['${A', [], {}, { error: 'failed to process "${A": unsupported modifier (\uFFFD) in substitution' }],
    ['${A:=b}', [], {}, { error: 'failed to process "${A:=b}": unsupported modifier (:=) in substitution' }],
    ['${A?}', [], {}, { error: 'failed to process "${A?}": A: is not allowed to be unset' }],
    ['${A:?}', ['A='], {}, { error: 'failed to process "${A:?}": A: is not allowed to be empty' }],
    ['${A:?say $B}', ['B=why'], {}, { error: 'failed to process "${A:?say $B}": A: say why' }],
    ['${A:-"x}', [], {}, { error: 'failed to process "${A:-\\"x}": syntax error: missing \'}\'' }],
    [
      "'a\tb",
      [],
      {},
      { error: 'failed to process "\'a\\tb": unexpected end of statement while looking for matching single-quote' },
    ],
  ],
  'word splitting and heredoc markers': [
    ['cat <<EOF >out', [], { rawQuotes: true, rawEscapes: true, skipUnsetEnv: true }, 'cat <<EOF >out', ['cat', '<<EOF', '>out']],
    [
      'cat << "EOF" <<-\t\'X\'',
      [],
      { rawQuotes: true, rawEscapes: true, skipUnsetEnv: true },
      'cat << "EOF" <<-\t\'X\'',
      ['cat', '<< "EOF"', '<<-', "'X'"],
    ],
    ['a<b', [], {}, 'a<b', ['a<b']],
    ['"" x \'\'', [], {}, ' x ', ['x']],
    ['$S', ['S= a  b '], {}, ' a  b ', ['a', 'b']],
    // BuildKit's word buffer is shared with the ${…} inside it: the text before ${v:-…} is lost from the words
    ['pre${V:-x}post more', [], {}, 'prexpost more', ['xpost', 'more']],
    ['pre${V/a/b}', ['V=a'], {}, 'preb', ['b']],
    // seen in a real build: `EXPOSE 80${X:-81}/tcp` exposes 81/tcp (Docker 28.5's BuildKit)
    ['80${X:-81}/tcp', [], {}, '8081/tcp', ['81/tcp']],
    ['pre${V}post', ['V=a'], {}, 'preapost', ['preapost']],
  ],
};

for (const [title, rows] of Object.entries(cases)) {
  describe(title, () => {
    for (const [input, env, options, expected, words] of rows) {
      test(`${JSON.stringify(input)} ${JSON.stringify(options)}`, () => {
        if (typeof expected === 'string') {
          assert.equal(expandWord(input, env, options), expected);
          if (words) assert.deepEqual(expandWords(input, env, options), words);
        } else {
          assert.throws(
            () => expandWord(input, env, options),
            (error: unknown) => {
              assert.ok(error instanceof WordError);
              assert.equal(error.message, expected.error);
              return true;
            },
          );
        }
      });
    }
  });
}

test('expandWordDetailed reports the variables found and not found, as written', () => {
  const result = expandWordDetailed('$pwd ${HOME:-$X} $1 ${Y+}', ['PWD=/', 'HOME=/root'], { platform: 'windows' });
  assert.equal(result.word, '/ /root  ');
  assert.deepEqual([...result.matched].sort(), ['HOME', 'pwd']);
  assert.deepEqual([...result.unmatched].sort(), ['1', 'X', 'Y']);
});

test('a Map environment works like a list', () => {
  const env = new Map([
    ['A', '1'],
    ['B', ''],
  ]);
  assert.equal(expandWord('$A-${B:-b}-${C-c}', env), '1-b-c');
  assert.equal(expandWord('$a', env, { platform: 'windows' }), '1');
});

test('WordError exposes the reason and the word', () => {
  try {
    expandWord('x${}', []);
    assert.fail('no error');
  } catch (error) {
    assert.ok(error instanceof WordError);
    assert.equal(error.reason, 'syntax error: bad substitution');
    assert.equal(error.word, 'x${}');
  }
});

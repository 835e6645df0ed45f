/**
 * Mutated corpus files: parsing never throws anything but ParseError, round-trips whatever it accepts, and does work
 * linear in the input (checked with the parser's work counter on the inputs and on doubling adversarial inputs — never
 * with a clock).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  dumpDockerfile,
  ParseError,
  parseDockerfile,
  printDockerfile,
  validateInstructions,
  type WorkCounter,
} from '../../src/dockerfile/index.js';
import { needsShared, sharedDir } from '../support/paths.js';

/** Work allowed per input character (a generous constant: what matters is that it is a constant). */
const WORK_PER_CHAR = 12;

/** Every 20th corpus file and all of `modern/` (heredocs, mounts, escape directives): a few hundred files. */
function sample(): string[] {
  const root = join(sharedDir!, 'corpus');
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (dir !== root) files.push(path);
    }
  };
  walk(root);
  return files.filter((file, i) => i % 20 === 0 || file.includes('/modern/')).map((file) => readFileSync(file, 'utf8'));
}

const PIECES = ['\\', '\\\n', '`', '\n', '\r\n', '\r', ' ', '\t', '"', "'", '#', '# escape=`\n', '<<', '<<-', 'EOF\n', '<<EOF\n'];
const MORE = [
  '[',
  ']',
  '["a", 1]',
  '=',
  '--',
  '-- ',
  '--x="a b" ',
  '$',
  '${',
  '}',
  'é',
  '\u00a0',
  '\uFEFF',
  'ONBUILD ',
  'RUN ',
  '\n\n',
];

type Mutation =
  | { kind: 'insert'; at: number; piece: string }
  | { kind: 'delete' | 'duplicate' | 'dropLine' | 'copyLine'; at: number; size: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), piece: fc.constantFrom(...PIECES, ...MORE) }),
  fc.record({
    kind: fc.constantFrom('delete' as const, 'duplicate' as const, 'dropLine' as const, 'copyLine' as const),
    at: fc.nat(),
    size: fc.integer({ min: 1, max: 40 }),
  }),
);

function mutate(text: string, mutations: Mutation[]): string {
  let out = text;
  for (const m of mutations) {
    const at = out.length === 0 ? 0 : m.at % (out.length + 1);
    if (m.kind === 'insert') out = out.slice(0, at) + m.piece + out.slice(at);
    else if (m.kind === 'delete') out = out.slice(0, at) + out.slice(at + m.size);
    else if (m.kind === 'duplicate') out = out.slice(0, at + m.size) + out.slice(at, at + m.size) + out.slice(at + m.size);
    else {
      const start = out.lastIndexOf('\n', at - 1) + 1;
      const end = out.indexOf('\n', at);
      const line = end < 0 ? out.slice(start) : out.slice(start, end + 1);
      out =
        m.kind === 'dropLine'
          ? out.slice(0, start) + out.slice(start + line.length)
          : out.slice(0, start) + line.repeat(1 + (m.size % 3)) + out.slice(start);
    }
  }
  return out;
}

/** Parses; returns the work done. Fails the test on anything but a ParseError, or on a lossy round trip. */
function check(text: string): number {
  const work: WorkCounter = { units: 0 };
  let ast: ReturnType<typeof parseDockerfile>;
  try {
    ast = parseDockerfile(text, { work });
  } catch (error) {
    if (error instanceof ParseError) return work.units;
    throw error;
  }
  assert.equal(printDockerfile(ast), text);
  dumpDockerfile(ast);
  for (const problem of validateInstructions(ast)) assert.ok(problem instanceof ParseError);
  return work.units;
}

test('mutated corpus files: only ParseError, lossless round trip, linear work', needsShared(), () => {
  const files = sample();
  fc.assert(
    fc.property(fc.nat(files.length - 1), fc.array(mutation, { minLength: 1, maxLength: 8 }), (index, mutations) => {
      const text = mutate(files[index], mutations);
      const work = check(text);
      assert.ok(work <= WORK_PER_CHAR * (text.length + 1), `work ${work} for ${text.length} characters`);
    }),
    { numRuns: 400 },
  );
});

/** Inputs built to hit re-scanning: each generator makes an input that grows linearly with n. */
const ADVERSARIAL: Record<string, (n: number) => string> = {
  'comment lines': (n) => `${'# c\n'.repeat(n)}FROM a\n`,
  'a long continuation with comments and empty lines': (n) => `FROM a\nRUN a \\\n${'  b \\\n# c \\\n\n'.repeat(n)}  end\n`,
  'nested ONBUILD': (n) => `FROM a\n${'ONBUILD '.repeat(n)}RUN x${' '.repeat(n)}\n`,
  'many heredocs on one line': (n) => `FROM a\nRUN ${'<<E '.repeat(n)}\n${'x\nE\n'.repeat(n)}`,
  'many flags': (n) => `FROM a\nCOPY ${'--from="a b" '.repeat(n)}a b\n`,
  'a long JSON array': (n) => `FROM a\nCMD [${'"x", '.repeat(n)}"y"]\n`,
  'many words in ENV': (n) => `FROM a\nENV ${'a="b c" '.repeat(n)}\n`,
  'many instructions': (n) => `FROM a\n${'RUN x \\\n y\n'.repeat(n)}`,
  'unterminated quotes and << everywhere': (n) => `FROM a\nRUN ${'"<<x \' '.repeat(n)}\n`,
};

test('work grows linearly on doubling adversarial inputs', () => {
  for (const [name, make] of Object.entries(ADVERSARIAL)) {
    const works = [500, 1000, 2000].map((n) => check(make(n)));
    assert.ok(works[1] <= 2.2 * works[0] && works[2] <= 2.2 * works[1], `${name}: work ${works.join(' → ')}`);
    const text = make(2000);
    assert.ok(works[2] <= WORK_PER_CHAR * text.length, `${name}: work ${works[2]} for ${text.length} characters`);
  }
});

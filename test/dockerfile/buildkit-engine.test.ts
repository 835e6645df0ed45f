/**
 * Differential test against a real BuildKit (the engine at DOCKER_HOST, Docker 28.5 / BuildKit 0.25 from
 * scripts/engine.sh): `docker buildx build --check` parses each file with BuildKit's own parser and instruction layer
 * (nothing is built or pulled: every case is `FROM scratch`). Where BuildKit refuses, our first error has the same
 * words; where it accepts, so do we.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { ParseError, parseDockerfile, validateInstructions } from '../../src/dockerfile/index.js';
import { makeContext, needsEngine } from '../support/engine.js';

/** The cases where BuildKit's behaviour is least obvious (the rest are covered by BuildKit's own test data). */
const CASES: Record<string, string> = {
  'a continuation swallows the next instruction': 'FROM scratch\nRUN a \\\n\nRUN b\n',
  'a lone escape line': '\\\nFROM scratch\n',
  'non-ASCII in a flag': 'FROM scratch\nCOPY --chown=José a b\n',
  'a number Go cannot store falls back to the shell form': 'FROM scratch\nCMD ["a", 1e400]\n',
  'heredocs, several on a line, chomped': 'FROM scratch\nRUN <<A cat 3<<-"B"\nx\nA\n\ty\n\tB\nCOPY <<C /c\nz\nC\n',
  'short interval': 'FROM scratch\nHEALTHCHECK --interval=1us CMD x\n',
  'heredoc as destination': 'FROM scratch\nCOPY a <<EOF\nEOF\n',
  'chomped terminator indented with spaces': 'FROM scratch\nRUN <<-E\n  E\n',
  'JSON with a number': 'FROM scratch\nCMD ["a", 1]\n',
  'duration without unit': 'FROM scratch\nHEALTHCHECK --timeout=5 CMD y\n',
  'unknown flag': 'FROM scratch\nCOPY --form=a a b\n',
  'unknown instruction': 'FROM scratch\nFORM x\n',
  'LABEL word without =': 'FROM scratch\nLABEL a=1 b\n',
  'instruction before FROM': 'RUN x\nFROM scratch\n',
};

/** Our verdict: the first refusal's words, or `ok`. */
function ours(text: string): string {
  try {
    return validateInstructions(parseDockerfile(text))[0]?.reason ?? 'ok';
  } catch (error) {
    if (error instanceof ParseError) return error.reason;
    throw error;
  }
}

/** BuildKit's verdict through `docker buildx build --check`, without its "dockerfile parse error on line N: " prefix. */
function buildkit(context: string, file: string): Promise<string> {
  return new Promise((resolve) => {
    execFile('docker', ['buildx', 'build', '--check', '-f', file, context], { timeout: 120_000 }, (_error, stdout, stderr) => {
      const output = `${stdout}\n${stderr}`;
      const refusal = /^(?:#\d+ )?ERROR: (?:dockerfile parse error on line \d+: )?(.*)$/m.exec(output);
      // Lint warnings (NoEmptyContinuation, JSONArgsRecommended…) make --check exit 1 but are no refusal.
      resolve(refusal ? refusal[1] : /Check complete/.test(output) ? 'ok' : `no verdict: ${output}`);
    });
  });
}

test('BuildKit (docker buildx build --check) and layerwise agree on acceptance and error words', needsEngine(), async (t) => {
  const cases = Object.entries(CASES);
  const context = makeContext(t, Object.fromEntries(cases.map(([, text], i) => [`case${i}.Dockerfile`, text])));
  const verdicts: string[] = [];
  // Four at a time: each check is a short BuildKit solve.
  for (let i = 0; i < cases.length; i += 4) {
    const batch = cases.slice(i, i + 4).map((_, j) => buildkit(context, join(context, `case${i + j}.Dockerfile`)));
    verdicts.push(...(await Promise.all(batch)));
  }
  const disagreements = cases
    .map(([name, text], i) => ({ name, theirs: verdicts[i], mine: ours(text) }))
    .filter(({ theirs, mine }) => theirs !== mine)
    .map(({ name, theirs, mine }) => `${name}: BuildKit "${theirs}", layerwise "${mine}"`);
  assert.deepEqual(disagreements, []);
});

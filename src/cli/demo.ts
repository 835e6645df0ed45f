/**
 * `layerwise demo [--output DIR]`: the article's story, on the bundled mono-layer Dockerfile, in one screen — the lint
 * findings, the `--fix` diff, the cache prediction for "one more package" before and after the fix, and the HTML
 * report. Offline and engine-free: contexts are in memory, nothing is built.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ContentTree } from '../cache/contenthash.js';
import { predict } from '../cache/predict.js';
import { addPackage, packageManagersByLine } from '../cache/what-if.js';
import { parseDockerfile } from '../dockerfile/parse.js';
import { InputError } from '../errors.js';
import { type DemoScenario, type DemoStory, renderDemo, type Unavailable } from '../report/demo.js';
import { lint } from '../rules/lint.js';
import { initShellParser } from '../shell/tree-sitter.js';
import { paintFor } from './cache-diff.js';
import { type Io, wantsColor } from './io.js';

export interface DemoOptions {
  output?: string;
}

/** The article's example ships with the package: examples/seed/ beside src/ (and beside dist/src/ once built). */
export function bundledExample(): string {
  for (const rel of ['../../examples/seed', '../../../examples/seed']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(resolve(dir, 'Dockerfile'))) return dir;
  }
  throw new InputError('the bundled example is missing from this installation', 'examples/seed/Dockerfile');
}

/** The edit whose cache cost the demo predicts: the article's "one more pip package". */
const ADDED = { manager: 'pip', name: 'rich' };

export async function run(io: Io, options: DemoOptions = {}): Promise<number> {
  const dir = bundledExample();
  const file = 'examples/seed/Dockerfile';
  const mono = await readFile(resolve(dir, 'Dockerfile'), 'utf8');
  await initShellParser();

  const lintResult = lint(mono, { file });
  const fix = fixStep(mono);
  // Until `lint --fix` lands, "after the fix" is the split version the article wrote by hand.
  const fixed = 'text' in fix ? fix.text : await readFile(resolve(dir, 'split', 'Dockerfile'), 'utf8');
  const story: DemoStory = {
    file,
    lint: lintResult,
    fix: 'diff' in fix ? { diff: fix.diff } : fix,
    added: { manager: 'pip3', name: ADDED.name },
    before: scenario('before the fix', file, mono),
    after: scenario('after the fix', 'text' in fix ? 'layerwise lint --fix' : 'examples/seed/split/Dockerfile', fixed),
    report: await reportStep(io, options),
  };
  io.stdout(renderDemo(story, paintFor(io), wantsColor(io)));
  return 0;
}

/** Predicts the rebuild after adding the package, on an in-memory (empty) build context: no step copies files. */
function scenario(label: string, source: string, text: string): DemoScenario {
  const added = addPackage(text, ADDED.manager, ADDED.name);
  if (!added) throw new InputError(`no \`${ADDED.manager} install\` to add a package to`, source);
  const input = (dockerfile: string) => ({ dockerfile: parseDockerfile(dockerfile), context: new ContentTree() });
  return {
    label,
    source,
    prediction: predict(input(text), input(added.text)),
    managers: packageManagersByLine(added.text),
  };
}

/** Seam: `lint --fix` (src/fix, issue 4) is being built; wired here when it lands. */
function fixStep(_source: string): { text: string; diff: string } | Unavailable {
  return { unavailable: '`layerwise lint --fix` (issue 4) is not built yet' };
}

/** Seam: the HTML report (`--format html`, issue 8) is being built; wired here when it lands. */
async function reportStep(_io: Io, _options: DemoOptions): Promise<{ path: string } | Unavailable> {
  return { unavailable: 'the HTML report (`--format html`) is not built yet' };
}

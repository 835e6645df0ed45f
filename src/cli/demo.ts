/**
 * `layerwise demo [-o FILE]`: the article's story, on the bundled mono-layer Dockerfile, in one screen — the lint
 * findings, the `--fix` diff, the cache prediction for "one more package" before and after the fix, and the HTML
 * report. Offline and engine-free: contexts are in memory, nothing is built.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ContentTree } from '../cache/contenthash.js';
import { predict } from '../cache/predict.js';
import { addPackage, packageManagersByLine } from '../cache/what-if.js';
import { parseDockerfile } from '../dockerfile/parse.js';
import { InputError, UsageError } from '../errors.js';
import { unifiedDiff } from '../fix/diff.js';
import { fixDockerfile } from '../fix/index.js';
import { type DemoScenario, type DemoStory, renderDemo, type Unavailable } from '../report/demo.js';
import { renderDemoHtml } from '../report/html/demo.js';
import { lint } from '../rules/lint.js';
import { detail, type Io, wantsColor } from './io.js';
import { emit } from './output.js';
import { paintFor } from './paint.js';

export interface DemoOptions {
  /** The HTML report's file (default: layerwise-demo.html in the temp directory). */
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
  // The story itself goes to stdout: `-o -` would interleave the page with it.
  if (options.output === '-') throw new UsageError('demo -o -: the story goes to stdout; give -o a file for the HTML report');
  const dir = bundledExample();
  const file = 'examples/seed/Dockerfile';
  const mono = await readFile(resolve(dir, 'Dockerfile'), 'utf8');
  detail(io, `the bundled example: ${dir}`);

  const lintResult = lint(mono, { file });
  const fix = fixStep(mono, file);
  // When no fix applies, "after the fix" falls back to the split version the article wrote by hand.
  const fixed = 'text' in fix ? fix.text : await readFile(resolve(dir, 'split', 'Dockerfile'), 'utf8');
  const before = scenario('before the fix', file, mono);
  const after = scenario('after the fix', 'text' in fix ? 'layerwise lint --fix' : 'examples/seed/split/Dockerfile', fixed);
  const added = { manager: 'pip3', name: ADDED.name };
  const story: Omit<DemoStory, 'report'> = {
    file,
    lint: lintResult,
    fix: 'diff' in fix ? { diff: fix.diff } : fix,
    added,
    before,
    after,
  };
  io.stdout(renderDemo({ ...story, report: writeReport(io, options, story) }, paintFor(io), wantsColor(io)));
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
    edited: added.text,
    managers: packageManagersByLine(added.text),
  };
}

/** What `layerwise lint --fix --diff` does to the file: the fixed text and the diff it prints. */
function fixStep(source: string, file: string): { text: string; diff: string } | Unavailable {
  const outcome = fixDockerfile(source, { file });
  if (!outcome.changed) return { unavailable: 'no safe fix applies to this Dockerfile' };
  return { text: outcome.after, diff: unifiedDiff(`a/${file}`, `b/${file}`, outcome.before, outcome.after) };
}

/** The story as one HTML page (FILE, or layerwise-demo.html in the temp directory); returns the path to show. */
function writeReport(io: Io, options: DemoOptions, story: Omit<DemoStory, 'report'>): { path: string } {
  const path = resolve(io.cwd, options.output ?? join(tmpdir(), 'layerwise-demo.html'));
  emit(io, renderDemoHtml(story), path);
  return { path: relative(io.cwd, path).startsWith('..') ? path : relative(io.cwd, path) };
}

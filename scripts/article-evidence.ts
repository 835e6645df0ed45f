/**
 * Reproduces the article's claim on a real engine, with apt packages in place of pip (PyPI is unreachable here):
 * a mono-layer Dockerfile (one RUN installs python3-pip and then the "pip" packages) against a split one (python3-pip
 * in its own RUN, the "pip" packages in a second). Each is built cold (--no-cache), then rebuilt after a second
 * package is added to the "pip" step. Prints a Markdown report (the tables of docs/evidence.md) on stdout: times and
 * CACHED per step, then both rebuilt images read back with `layerwise image history` beside `docker history`, row for
 * row; the script fails (exit 1, after printing the report) when any row's size or created-by differs.
 *
 *   eval "$(scripts/engine.sh start)" && npx tsx scripts/article-evidence.ts > /tmp/evidence.md
 *
 * Takes a few minutes (four apt builds against the Debian mirror).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BuildRecord, recordBuild } from '../src/build/record.js';
import { compareHistories, disagreements, type HistoryPair, historyTable } from '../test/support/history-compare.js';

const apt = 'apt-get install -y --no-install-recommends';
// The "pip" step ends in a comment naming this run, so a rebuild can never hit a cache entry of an earlier run.
const run = Date.now().toString(36);
const dockerfiles = {
  mono: (pip: string) =>
    [
      'FROM debian:bookworm',
      'RUN apt-get update && \\',
      `  ${apt} python3-pip && \\`,
      `  ${apt} ${pip} && \\`,
      `  rm -rf /var/lib/apt/lists/*  # run ${run}`,
      '',
    ].join('\n'),
  split: (pip: string) =>
    [
      'FROM debian:bookworm',
      'RUN apt-get update && \\',
      `  ${apt} python3-pip && \\`,
      '  rm -rf /var/lib/apt/lists/*',
      `RUN apt-get update && ${apt} ${pip} && rm -rf /var/lib/apt/lists/*  # run ${run}`,
      '',
    ].join('\n'),
};
const before = 'python3-requests';
const after = 'python3-requests python3-rich';

const seconds = (ms: number | undefined) => (ms === undefined ? '–' : `${(ms / 1000).toFixed(1)} s`);
const megabytes = (bytes: number | null) => (bytes === null ? '–' : `${(bytes / 1e6).toFixed(1)} MB`);
const log = (text: string) => process.stderr.write(`[evidence] ${text}\n`);

async function build(dir: string, tag: string, noCache: boolean): Promise<BuildRecord> {
  const record = await recordBuild({ context: dir, tags: [tag], noCache, onProgress: (text) => process.stderr.write(text) });
  if (record.exitCode !== 0) throw new Error(`build of ${tag} failed:\n${record.error}`);
  log(`${tag}: ${seconds(record.durationMs)}`);
  return record;
}

/** The packages a step installs: what tells the steps apart. */
function packages(instruction: string): string {
  return [...instruction.matchAll(/--no-install-recommends ([a-z0-9. -]+?)(?: &&|$)/g)].map((m) => m[1].trim()).join(', ');
}

function stepRows(name: string, phase: string, record: BuildRecord): string[] {
  return record.steps
    .filter((step) => step.status !== 'base')
    .map(
      (step) =>
        `| ${name} | ${phase} | ${step.line} | ${step.status === 'cached' ? '**CACHED**' : step.status} | ${seconds(step.durationMs)} | ${megabytes(step.size)} | ${packages(step.instruction)} |`,
    );
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'layerwise-evidence-'));
  const results: Record<string, { cold: BuildRecord; rebuild: BuildRecord; tag: string }> = {};
  try {
    for (const name of ['mono', 'split'] as const) {
      const dir = join(root, name);
      mkdirSync(dir);
      const tag = `layerwise-evidence/${name}:${run}`;
      writeFileSync(join(dir, 'Dockerfile'), dockerfiles[name](before));
      log(`${name}: cold build (--no-cache)`);
      const cold = await build(dir, tag, true);
      writeFileSync(join(dir, 'Dockerfile'), dockerfiles[name](after));
      log(`${name}: rebuild after adding python3-rich to the "pip" step`);
      const rebuild = await build(dir, tag, false);
      results[name] = { cold, rebuild, tag };
    }
    const { mono, split } = results;
    const engine = mono.cold.engine ?? 'unknown engine';
    const out: string[] = [];
    out.push(`Measured ${new Date().toISOString().slice(0, 16)}Z on Docker ${engine} (${mono.cold.frontend}).`, '');
    out.push('| build | cold (--no-cache) | rebuild after adding python3-rich | rebuild / cold |', '| --- | --- | --- | --- |');
    for (const [name, r] of Object.entries(results)) {
      out.push(
        `| ${name} | ${seconds(r.cold.durationMs)} | ${seconds(r.rebuild.durationMs)} | ${((100 * r.rebuild.durationMs) / r.cold.durationMs).toFixed(0)} % |`,
      );
    }
    out.push(
      '',
      `Split rebuild / mono rebuild: **${((100 * split.rebuild.durationMs) / mono.rebuild.durationMs).toFixed(0)} %**.`,
      '',
    );
    out.push('| Dockerfile | build | line | step | time | layer | installs |', '| --- | --- | --- | --- | --- | --- | --- |');
    for (const [name, r] of Object.entries(results)) {
      out.push(...stepRows(name, 'cold', r.cold), ...stepRows(name, 'rebuild', r.rebuild));
    }
    const histories: Record<string, HistoryPair[]> = {};
    for (const [name, r] of Object.entries(results)) histories[name] = await compareHistories(r.tag, 'debian:bookworm');
    const differing = Object.values(histories).flatMap(disagreements);
    const rows = Object.values(histories).flat().length;
    out.push(
      '',
      'Both images after the rebuild, read back with `layerwise image history --format json docker-daemon:TAG` and',
      '`docker history --human=false` (`<run>` stands for the run id). docker reports the imported base layer by its',
      "applied size and the layers BuildKit built here by their tar headers (symlinks 0): layerwise's matching figure",
      'is shown for each row.',
      '',
      historyTable(histories, run),
      '',
      differing.length === 0
        ? `All ${rows} rows agree, size for size and created-by for created-by.`
        : `**${differing.length} of ${rows} rows differ.**`,
    );
    process.stdout.write(`${out.join('\n')}\n`);
    if (differing.length > 0) process.exitCode = 1;
  } finally {
    for (const r of Object.values(results)) spawnSync('docker', ['image', 'rm', r.tag], { stdio: 'ignore' });
    rmSync(root, { recursive: true, force: true });
  }
}

await main();

/**
 * `cache replay` over 500 commits of a repository generated here (a Python-style app: sources, requirements, a
 * multi-step Dockerfile; each commit edits one source file, sometimes requirements or the Dockerfile, sometimes
 * reverts). Reports time per commit and peak RSS; the reference measured in the same run is `git rev-list` + `git
 * ls-tree -r` over the same commits (the floor for reading the history at all).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replayGit } from '../src/cache/replay-git.js';
import { lintFixRewrite } from '../src/cli/cache-replay.js';
import { DEFAULT_CONFIG } from '../src/rules/config.js';

const COMMITS = 500;
const dir = mkdtempSync(join(tmpdir(), 'layerwise-bench-replay-'));
const env = {
  ...process.env,
  GIT_AUTHOR_NAME: 'b',
  GIT_AUTHOR_EMAIL: 'b@b',
  GIT_COMMITTER_NAME: 'b',
  GIT_COMMITTER_EMAIL: 'b@b',
};
const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env, maxBuffer: 1 << 28 });
git('init', '-q', '-b', 'main');
const dockerfile = (extra: string) =>
  `FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\n${extra}RUN python -m compileall .\nCMD ["python","-m","app"]\n`;
// One git fast-import stream builds the history in a second; each commit is a real commit with a real tree.
const stream: string[] = [];
const blob = (path: string, text: string) => {
  const data = Buffer.from(text);
  stream.push(`M 100644 inline ${path}\ndata ${data.length}\n${text}\n`);
};
for (let c = 0; c < COMMITS; c++) {
  const message = c === 0 ? 'initial' : `edit ${c}`;
  stream.push(`commit refs/heads/main\ncommitter b <b@b> ${1700000000 + c} +0000\ndata ${message.length}\n${message}\n`);
  if (c === 0) {
    blob('.dockerignore', '.git\n*.pyc\n');
    blob('Dockerfile', dockerfile(''));
    blob('requirements.txt', 'requests\n');
    for (let i = 0; i < 200; i++) blob(`app/mod${i}.py`, `# module ${i}\n${'x = 1\n'.repeat(200)}`);
  } else if (c % 50 === 0) blob('requirements.txt', `requests\nrich==${c}\n`);
  else if (c % 97 === 0) blob('Dockerfile', dockerfile(`ENV BUILD=${c}\n`));
  else blob(`app/mod${c % 200}.py`, `# module ${c % 200}, edit ${c % 7}\n${'x = 1\n'.repeat(200)}`);
  stream.push('\n');
}
execFileSync('git', ['fast-import', '--quiet'], { cwd: dir, env, input: stream.join('') });

const start = process.hrtime.bigint();
const reference = spawnSync(
  'sh',
  ['-c', `git rev-list --first-parent HEAD | while read c; do git ls-tree -r -z --full-tree $c > /dev/null; done`],
  { cwd: dir },
);
const referenceSeconds = Number(process.hrtime.bigint() - start) / 1e9;
if (reference.status !== 0) throw new Error('reference failed');

const t0 = process.hrtime.bigint();
const result = await replayGit(dir, { commits: COMMITS });
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const s = result.report.summary;
console.log(
  `replay: ${s.builds} commits, ${result.blobsHashed} blobs hashed once each, hit rate ${(s.hitRate * 100).toFixed(1)}%`,
);
console.log(`time per commit: ${((seconds / s.builds) * 1000).toFixed(1)} ms (total ${seconds.toFixed(2)} s)`);
console.log(`reference (git rev-list + ls-tree per commit): ${((referenceSeconds / s.builds) * 1000).toFixed(1)} ms per commit`);
console.log(`ratio vs reference: ${(seconds / referenceSeconds).toFixed(2)}x the time of merely listing the trees`);
console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);

// --compare-fix: the same history replayed a second time with each commit's Dockerfile as lint --fix rewrites it.
const t1 = process.hrtime.bigint();
const compared = await replayGit(dir, { commits: COMMITS, rewrite: lintFixRewrite(DEFAULT_CONFIG, {}) });
const fixSeconds = Number(process.hrtime.bigint() - t1) / 1e9;
console.log(
  `--compare-fix: ${((fixSeconds / s.builds) * 1000).toFixed(1)} ms per commit (total ${fixSeconds.toFixed(2)} s, ${(fixSeconds / seconds).toFixed(2)}x plain replay; ${compared.compare?.changedCommits} Dockerfiles changed by the fix)`,
);
console.log(`peak RSS (after both): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
rmSync(dir, { recursive: true, force: true });

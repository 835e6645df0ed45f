/**
 * prefer-cache-mount's `--fix-unsafe` rewrites built on the real engine (test/support/engine.ts): for each manager
 * the fix covers, a representative Dockerfile is fixed with every rule (as `lint --fix-unsafe` does: other rules'
 * fixes land in the same passes), built, then built again with one more package. The second build must run the RUN
 * (its text changed) and fetch only the new package — the first one comes out of the cache mount — and no layer the
 * builds made may hold anything under a mount target.
 *
 * Only `debian:bookworm` (the engine's base image) and what Debian's and npm's registries serve are reachable. Each
 * test gets its own cache-mount namespace (BuildKit's BUILDKIT_CACHE_MOUNT_NS build argument), so its first build
 * starts from empty mounts whatever else the engine built; the namespace's mounts are pruned afterwards (by their
 * description, which names the namespace: nobody else's cache is touched).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { after, type TestContext, test } from 'node:test';
import { fixDockerfile } from '../../src/fix/index.js';
import type { LayerEntry } from '../../src/image/layers.js';
import { parseDockerReference } from '../../src/image/ref.js';
import { scanImage } from '../../src/image/scan.js';
import { openDaemonImage } from '../../src/image/sources/daemon.js';
import { rules } from '../../src/rules/registry.js';
import { makeContext, needsEngine, removeImage, uniqueTag } from '../support/engine.js';

const BASE = 'debian:bookworm';
/** The ARG each case declares before the RUN under test, so that each test's builds run it (see `build`). */
const BUST = 'LAYERWISE_TEST_RUN';

function docker(args: string[], options: { allowFailure?: boolean } = {}): { status: number; output: string } {
  const result = spawnSync('docker', args, {
    encoding: 'utf8',
    env: { ...process.env, DOCKER_BUILDKIT: '1' },
    maxBuffer: 1 << 28,
    timeout: 900_000,
  });
  const output = `${result.stdout}${result.stderr}`;
  if (!options.allowFailure) assert.equal(result.status, 0, `docker ${args.join(' ')}:\n${output.slice(-4000)}`);
  return { status: result.status ?? -1, output };
}

/** A cache-mount namespace for one test; its mounts are pruned after the test. */
function mountNamespace(t: TestContext): string {
  const ns = `layerwise-test-${randomBytes(6).toString('hex')}`;
  t.after(() => docker(['builder', 'prune', '--force', '--filter', `description~=${ns}`], { allowFailure: true }));
  return ns;
}

/** The Dockerfile as `lint --fix-unsafe` leaves it, with the rules it must have fixed. */
function fixUnsafe(text: string): string {
  const outcome = fixDockerfile(text, { rules, unsafe: true });
  assert.ok(outcome.converged, 'the fixes settle');
  assert.ok(
    outcome.applied.some((a) => a.rule === 'prefer-cache-mount'),
    `prefer-cache-mount fixed nothing: ${JSON.stringify(outcome.refused)}`,
  );
  return outcome.after;
}

interface Built {
  tag: string;
  /** The plain progress output of the build. */
  log: string;
}

/**
 * Builds `dockerfile` (plain progress, its output kept) in a fresh context; the tag is removed after the test. The
 * step cache does not key on the mount namespace, and an earlier run may have built the same RUN: the namespace is
 * also given as the value of the ARG the cases declare before it (an ARG in scope is part of a RUN's key). Not
 * `--no-cache`: on Docker 28.5 (BuildKit 0.25) such a build also starts every cache mount empty.
 */
function build(t: TestContext, dockerfile: string, ns: string): Built {
  const context = makeContext(t, { Dockerfile: dockerfile });
  const tag = uniqueTag(t.name);
  t.after(() => removeImage(tag));
  // The builds fetch from deb.debian.org and registry.npmjs.org: a name that does not resolve or a connection reset
  // (seen once under load) is the network's failure, not the fix's — such a build is tried again, twice at most.
  for (let attempt = 1; ; attempt++) {
    const { status, output } = docker(buildCommand(ns, context, tag), { allowFailure: attempt < 3 });
    if (status === 0) return { tag, log: output };
    if (!TRANSIENT_NETWORK.test(output)) assert.fail(`docker build failed:\n${output.slice(-4000)}`);
    t.diagnostic(`build attempt ${attempt} hit a network error; trying again`);
  }
}

/** What apt, npm, yarn and pnpm print when the network, not the build, failed. */
const TRANSIENT_NETWORK =
  /Temporary failure resolving|Could not resolve|EAI_AGAIN|ECONNRESET|ETIMEDOUT|Connection timed out|Unable to connect to/;

/** `docker build` of a context with plain progress, in mount namespace `ns` (see `build`). */
function buildCommand(ns: string, context: string, tag?: string): string[] {
  const args = ['build', '--progress=plain', '--build-arg', `BUILDKIT_CACHE_MOUNT_NS=${ns}`, '--build-arg', `${BUST}=${ns}`];
  return [...args, ...(tag ? ['-t', tag] : []), context];
}

/** The output lines of the last step of the build (the RUN under test), and whether it came from the cache. */
function lastStep(built: Built): { lines: string[]; cached: boolean } {
  const headers = [...built.log.matchAll(/^#(\d+) \[[^\]]*?(\d+)\/(\d+)\] /gm)].filter((m) => m[2] === m[3]);
  const vertex = headers.at(-1)?.[1];
  assert.ok(vertex, `no last step in:\n${built.log}`);
  const lines = built.log.split('\n').filter((line) => line.startsWith(`#${vertex} `));
  return { lines, cached: lines.some((line) => line === `#${vertex} CACHED`) };
}

/** Every entry of the layers an image has above its base image's, lowest first. */
async function layersAbove(tag: string, base: string): Promise<LayerEntry[]> {
  const below = Number(docker(['image', 'inspect', '--format', '{{len .RootFS.Layers}}', base]).output.trim());
  const image = await openDaemonImage(parseDockerReference(tag), { dockerHost: process.env.DOCKER_HOST });
  const entries: LayerEntry[] = [];
  try {
    await scanImage(
      image,
      (layer) => {
        if (layer.index >= below) entries.push(...layer.collected);
      },
      { collect: listEntries },
    );
  } finally {
    await image.close();
  }
  return entries;
}

function listEntries() {
  const list: LayerEntry[] = [];
  return { add: (entry: LayerEntry) => list.push(entry), finish: () => list };
}

/** The cache mount targets of a Dockerfile's RUNs. */
const mountTargets = (dockerfile: string) =>
  [...dockerfile.matchAll(/--mount=type=cache,[^\s]*?target=([^,\s]+)/g)].map((m) => m[1].replace(/^\//, ''));

interface Case {
  name: string;
  /** The image the case builds on. */
  from: (t: TestContext) => string;
  /** The Dockerfile before the fix, installing `packages`. */
  dockerfile: (from: string, packages: string) => string;
  packages: [string, string];
  /**
   * From the output of the RUN in the first and in the second build: that the first fetched the package, and the
   * second fetched only the new one (the old one came out of the mount).
   */
  reuse: (first: string[], second: string[]) => void;
  /** Paths (no leading slash) the second image's own layers must hold: the packages went into the image. */
  installed: string[];
}

/** A `reuse` check for a manager that names what it fetched: `extract` lists it from the output lines. */
const noRefetch =
  (extract: (lines: string[]) => string[], reused: string) =>
  (first: string[], second: string[]): void => {
    assert.ok(extract(first).includes(reused), `the first build fetched ${reused}:\n${first.join('\n')}`);
    const fetched = extract(second);
    assert.ok(fetched.length > 0, `the second build fetched the new package:\n${second.join('\n')}`);
    assert.ok(!fetched.includes(reused), `${reused} fetched again:\n${second.join('\n')}`);
  };

/** Package names apt downloaded (`Get:3 http://deb.debian.org/debian bookworm/main amd64 hello amd64 2.10-3 [53 kB]`). */
const aptDownloads = (lines: string[]) => lines.flatMap((line) => /\bGet:\d+ \S+ \S+ \S+ (\S+) \S+ \S+ \[/.exec(line)?.[1] ?? []);

/** Tarballs npm fetched from the registry rather than its cache (`npm http fetch GET 200 <url>.tgz 44ms (cache miss)`). */
const npmDownloads = (lines: string[]) =>
  lines.flatMap((line) => /npm http fetch GET 200 (\S+\.tgz) .*\(cache (miss|updated|stale)\)/.exec(line)?.[1] ?? []);

/** Tarballs yarn (classic, --verbose) requested (`Performing "GET" request to "<url>.tgz"`). */
const yarnDownloads = (lines: string[]) =>
  lines.flatMap((line) => /Performing "GET" request to "(\S+\.tgz)"/.exec(line)?.[1] ?? []);

/** pnpm's last progress line of a RUN: `Progress: resolved 3, reused 1, downloaded 2, added 3, done`. */
function pnpmProgress(lines: string[]): { reused: number; downloaded: number } {
  const match = lines.map((line) => /Progress: resolved \d+, reused (\d+), downloaded (\d+)/.exec(line)).findLast((m) => m);
  assert.ok(match, `no pnpm progress in:\n${lines.join('\n')}`);
  return { reused: Number(match[1]), downloaded: Number(match[2]) };
}

/** Node.js, npm, yarn and pnpm from Debian and the npm registry; not itself fixed (it is not under test). */
const NODE_BASE = `FROM ${BASE}
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm ca-certificates && rm -rf /var/lib/apt/lists/*
RUN npm install -g yarn@1.22.22 pnpm@9.15.9 && npm cache clean --force
ENV npm_config_loglevel=http
WORKDIR /app
`;

/** The start of a Dockerfile whose RUN under test runs as `app` (uid 1234, created here), in a directory it owns. */
const NON_ROOT = (from: string) => `FROM ${from}\nRUN useradd -l -u 1234 -m app\nUSER app\nWORKDIR /home/app/proj\nARG ${BUST}\n`;

let nodeBase: string | undefined;
/** The Node.js image, built on first use (its steps come from the build cache after the first run on an engine). */
function nodeImage(): string {
  if (!nodeBase) {
    const tag = uniqueTag('prefer-cache-mount-node');
    const context = makeContext(undefined, { Dockerfile: NODE_BASE });
    try {
      docker(['build', '-q', '-t', tag, context]);
    } finally {
      rmSync(context, { recursive: true, force: true });
    }
    nodeBase = tag;
  }
  return nodeBase;
}
after(() => {
  if (nodeBase) removeImage(nodeBase);
});

const cases: Case[] = [
  {
    name: 'apt-get: locked mounts on /var/cache/apt and /var/lib/apt, docker-clean replaced by keep-cache',
    from: () => BASE,
    dockerfile: (from, packages) =>
      `FROM ${from}\nARG ${BUST}\nRUN apt-get update && apt-get install -y --no-install-recommends ${packages}\n`,
    packages: ['hello', 'hello sl'],
    reuse: (first, second) => {
      noRefetch(aptDownloads, 'hello')(first, second);
      // The package lists stayed in their mount too: only the small Release files are asked for again.
      assert.ok(first.some((line) => / Packages \[/.test(line)));
      assert.deepEqual(
        second.filter((line) => / Packages \[/.test(line)),
        [],
      );
    },
    // The fix's own change to the image: docker-clean deleted (a whiteout), keep-cache written.
    installed: ['usr/bin/hello', 'usr/games/sl', 'etc/apt/apt.conf.d/docker-clean', 'etc/apt/apt.conf.d/keep-cache'],
  },
  {
    name: 'npm: a mount on /root/.npm',
    from: nodeImage,
    dockerfile: (from, packages) => `FROM ${from}\nARG ${BUST}\nRUN npm install ${packages}\n`,
    packages: ['is-number@7.0.0', 'is-number@7.0.0 is-odd@3.0.1'],
    reuse: noRefetch(npmDownloads, 'https://registry.npmjs.org/is-number/-/is-number-7.0.0.tgz'),
    installed: ['app/node_modules/is-number/package.json', 'app/node_modules/is-odd/package.json'],
  },
  {
    name: "yarn (classic): a mount on root's yarn cache, /usr/local/share/.cache/yarn",
    from: nodeImage,
    dockerfile: (from, packages) => `FROM ${from}\nARG ${BUST}\nRUN yarn add --verbose ${packages}\n`,
    packages: ['is-number@7.0.0', 'is-number@7.0.0 is-odd@3.0.1'],
    reuse: noRefetch(yarnDownloads, 'https://registry.yarnpkg.com/is-number/-/is-number-7.0.0.tgz'),
    installed: ['app/node_modules/is-number/package.json', 'app/node_modules/is-odd/package.json'],
  },
  {
    name: 'pnpm: a mount on the store, /root/.local/share/pnpm/store',
    from: nodeImage,
    dockerfile: (from, packages) => `FROM ${from}\nARG ${BUST}\nRUN pnpm add ${packages}\n`,
    packages: ['is-number@7.0.0', 'is-number@7.0.0 is-odd@3.0.1'],
    reuse: (first, second) => {
      assert.deepEqual(pnpmProgress(first), { reused: 0, downloaded: 1 });
      // is-odd 3.0.1 depends on is-number 6: two new packages, and 7.0.0 from the store in the mount.
      assert.deepEqual(pnpmProgress(second), { reused: 1, downloaded: 2 });
    },
    installed: ['app/node_modules/.pnpm/is-number@7.0.0/node_modules/is-number/package.json'],
  },
  {
    name: 'npm under a non-root USER the Dockerfile creates: uid= on a mount in its home, /home/app/.npm',
    from: nodeImage,
    dockerfile: (from, packages) => `${NON_ROOT(from)}RUN npm install ${packages}\n`,
    packages: ['is-number@7.0.0', 'is-number@7.0.0 is-odd@3.0.1'],
    reuse: noRefetch(npmDownloads, 'https://registry.npmjs.org/is-number/-/is-number-7.0.0.tgz'),
    installed: ['home/app/proj/node_modules/is-number/package.json', 'home/app/proj/node_modules/is-odd/package.json'],
  },
  {
    name: "yarn under a non-root USER: that user's cache, /home/app/.cache/yarn (root's is /usr/local/share/.cache/yarn)",
    from: nodeImage,
    dockerfile: (from, packages) => `${NON_ROOT(from)}RUN yarn add --verbose ${packages}\n`,
    packages: ['is-number@7.0.0', 'is-number@7.0.0 is-odd@3.0.1'],
    reuse: noRefetch(yarnDownloads, 'https://registry.yarnpkg.com/is-number/-/is-number-7.0.0.tgz'),
    installed: ['home/app/proj/node_modules/is-number/package.json', 'home/app/proj/node_modules/is-odd/package.json'],
  },
];

for (const c of cases) {
  test(`prefer-cache-mount --fix-unsafe on the engine, ${c.name}`, needsEngine(), async (t) => {
    const from = c.from(t);
    const ns = mountNamespace(t);
    const [fixed1, fixed2] = c.packages.map((packages) => fixUnsafe(c.dockerfile(from, packages)));
    t.diagnostic(`fixed:\n${fixed2}`);
    const targets = mountTargets(fixed2);
    assert.ok(targets.length > 0, fixed2);

    const first = lastStep(build(t, fixed1, ns));
    assert.equal(first.cached, false, 'a fresh mount namespace: the first build runs the RUN');
    const built = build(t, fixed2, ns);
    const second = lastStep(built);
    assert.equal(second.cached, false, 'the package list changed: the second build runs the RUN again');
    c.reuse(first.lines, second.lines);

    // The packages are in the image; nothing below a mount target is.
    const entries = await layersAbove(built.tag, from);
    const paths = new Set(entries.map((e) => e.path));
    for (const path of c.installed) assert.ok(paths.has(path), `${path} is not in the image`);
    const leaked = entries.filter((e) => targets.some((target) => e.path.startsWith(`${target}/`)));
    assert.deepEqual(
      leaked.map((e) => e.path),
      [],
      'no cache file in a layer',
    );
  });
}

test(
  'the uid= is what lets the non-root RUN write: without it the same build fails on the root-owned mount',
  needsEngine(),
  (t) => {
    const fixed = fixUnsafe(`${NON_ROOT(nodeImage())}RUN npm install is-number@7.0.0\n`);
    assert.match(fixed, /--mount=type=cache,target=\/home\/app\/\.npm,uid=1234 npm install/);
    const context = makeContext(t, { Dockerfile: fixed.replace(',uid=1234', '') });
    const ns = mountNamespace(t);
    const { status, output } = docker(buildCommand(ns, context), { allowFailure: true });
    assert.notEqual(status, 0, output);
    assert.match(output, /npm ERR! code EACCES\n.*npm ERR! syscall mkdir\n.*npm ERR! path \/home\/app\/\.npm\//);
  },
);

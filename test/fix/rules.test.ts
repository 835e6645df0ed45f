/**
 * The fixes of split-package-managers, apt-update-alone and cleanup-in-separate-layer through fixDockerfile (the
 * safety check included): outputs byte for byte, refusals with their reasons, and the bytes a fix must not touch —
 * CRLF, BOM, tabs, the backtick escape, heredocs, ONBUILD, a missing final newline.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fixDockerfile } from '../../src/fix/index.js';
import { DEFAULT_CONFIG } from '../../src/rules/config.js';
import { rules as allRules, ruleById } from '../../src/rules/registry.js';

const rules = ['split-package-managers', 'apt-update-alone', 'cleanup-in-separate-layer'].map((id) => ruleById(id)!);
const fix = (text: string) => fixDockerfile(text, { rules });
const fixed = (text: string) => fix(text).after;
const refusal = (text: string) => {
  const outcome = fix(text);
  assert.equal(outcome.changed, false, `expected no change:\n${outcome.after}`);
  return outcome.refused.map((r) => `${r.rule}@${r.line}: ${r.reason}`).join('\n');
};

describe('split-package-managers fix', () => {
  test('one RUN per manager in order; each keeps its update and cleanup; leading-operator style', () => {
    assert.equal(
      fixed(
        'FROM debian\nRUN apt-get update \\\n && apt-get install -y python3-pip \\\n && rm -rf /var/lib/apt/lists/* \\\n && pip3 install requests \\\n && npm install -g yarn\n',
      ),
      'FROM debian\nRUN apt-get update \\\n && apt-get install -y python3-pip \\\n && rm -rf /var/lib/apt/lists/*\nRUN pip3 install requests\nRUN npm install -g yarn\n',
    );
  });

  test('commands between two managers go with the next one; a lower-case keyword and indentation are kept', () => {
    assert.equal(
      fixed(
        'FROM debian\n  run apt-get install -y curl && curl -fsSLo /tmp/get-pip.py https://x/get-pip.py && python3 /tmp/get-pip.py && pip install x\n',
      ),
      'FROM debian\n  run apt-get install -y curl\n  run curl -fsSLo /tmp/get-pip.py https://x/get-pip.py && python3 /tmp/get-pip.py && pip install x\n',
    );
  });

  test('a cache mount goes with its manager; other flags are copied to each RUN', () => {
    assert.equal(
      fixed(
        'FROM debian\nRUN --mount=type=cache,target=/var/cache/apt --mount=type=cache,target=/root/.cache/pip --network=host \\\n    apt-get update && apt-get install -y python3-pip && pip install x\n',
      ),
      'FROM debian\nRUN --mount=type=cache,target=/var/cache/apt --network=host \\\n    apt-get update && apt-get install -y python3-pip\nRUN --mount=type=cache,target=/root/.cache/pip --network=host pip install x\n',
    );
    assert.equal(
      fixed('FROM debian\nRUN --mount=type=secret,id=token \\\n    apt-get install -y python3-pip && pip install x\n'),
      'FROM debian\nRUN --mount=type=secret,id=token \\\n    apt-get install -y python3-pip\nRUN --mount=type=secret,id=token pip install x\n',
    );
  });

  test('`;` under `set -e` splits; a comment line between the parts stays above the new RUN', () => {
    assert.equal(
      fixed('FROM debian\nRUN set -ex; apt-get install -y python3-pip; pip install x\n'),
      'FROM debian\nRUN set -ex; apt-get install -y python3-pip\nRUN pip install x\n',
    );
    assert.equal(
      fixed('FROM debian\nRUN apt-get install -y python3-pip && \\\n    # python packages\n    pip install x\n'),
      'FROM debian\nRUN apt-get install -y python3-pip\n    # python packages\nRUN pip install x\n',
    );
  });

  test('shell state the second RUN relies on is carried into it: cd, export, variables, set -e / pipefail', () => {
    assert.equal(
      fixed('FROM debian\nWORKDIR /src\nRUN cd app && apt-get install -y gcc && pip install -r requirements.txt\n'),
      'FROM debian\nWORKDIR /src\nRUN cd app && apt-get install -y gcc\nRUN cd /src/app && pip install -r requirements.txt\n',
    );
    assert.equal(
      fixed('FROM debian\nRUN export PIP_INDEX_URL=http://x && apt-get install -y python3-pip && pip install x\n'),
      'FROM debian\nRUN export PIP_INDEX_URL=http://x && apt-get install -y python3-pip\nRUN export PIP_INDEX_URL=http://x && pip install x\n',
    );
    assert.equal(
      fixed('FROM debian\nRUN V="1.2 rc" && apt-get install -y python3-pip && pip install "x==$V"\n'),
      `FROM debian\nRUN V="1.2 rc" && apt-get install -y python3-pip\nRUN V='1.2 rc' && pip install "x==$V"\n`,
    );
    assert.equal(
      fixed('FROM debian\nRUN set -eo pipefail; apt-get install -y python3-pip; pip install x | tee /log; pip check\n'),
      'FROM debian\nRUN set -eo pipefail; apt-get install -y python3-pip\nRUN set -o errexit && set -o pipefail && pip install x | tee /log; pip check\n',
    );
  });

  test('refused with the reason: state known only at run time, `;` without set -e, interleaved managers, one compound command, heredoc', () => {
    assert.match(
      refusal('FROM debian\nRUN cd "$(mktemp -d)" && apt-get install -y gcc && pip install -r requirements.txt\n'),
      /split-package-managers@2: cannot split between `apt-get` and `pip`: `cd` goes to a directory known only when the script runs \(use WORKDIR\) \(line 2\)/,
    );
    assert.match(
      refusal('FROM debian\nRUN export PIP_INDEX_URL=$(cat /url) && apt-get install -y python3-pip && pip install x\n'),
      /`PIP_INDEX_URL` is set before the split to a value known only when the script runs/,
    );
    assert.match(
      refusal('FROM debian\nRUN apt-get install -y python3-pip; pip install x\n'),
      /without `set -e` the script ignores a failure/,
    );
    assert.match(
      refusal('FROM debian\nRUN apt-get install -y gcc libpq5 && pip install psycopg2 && apt-get purge -y gcc\n'),
      /`apt-get` runs again after another manager/,
    );
    assert.match(
      refusal('FROM debian\nRUN if true; then apt-get install -y python3-pip && pip install x; fi\n'),
      /apt-get and pip run in one compound command that cannot be cut/,
    );
    assert.match(
      refusal('FROM debian\nRUN <<EOF\napt-get install -y python3-pip\npip install x\nEOF\n'),
      /the script is a heredoc/,
    );
  });
});

describe('apt-update-alone fix', () => {
  test('the refresh moves to the front of the next install, in its style; inert instructions may stand between', () => {
    assert.equal(
      fixed('FROM debian\nRUN apt-get update\nRUN apt-get install -y curl\n'),
      'FROM debian\nRUN apt-get update && apt-get install -y curl\n',
    );
    assert.equal(
      fixed('FROM debian\nRUN apt-get update\nRUN apt-get install -y \\\n    curl && \\\n    rm -rf /var/lib/apt/lists/*\n'),
      'FROM debian\nRUN apt-get update && \\\n    apt-get install -y \\\n    curl && \\\n    rm -rf /var/lib/apt/lists/*\n',
    );
    assert.equal(
      fixed(
        'FROM debian\nRUN apt-get update\nLABEL a=b\nRUN apt-get install -y \\\n    curl \\\n && rm -rf /var/lib/apt/lists/*\n',
      ),
      'FROM debian\nLABEL a=b\nRUN apt-get update \\\n && apt-get install -y \\\n    curl \\\n && rm -rf /var/lib/apt/lists/*\n',
    );
  });

  test('refused with the reason', () => {
    assert.match(
      refusal('FROM debian\nRUN apt-get update\nCOPY x /x\nRUN apt-get install -y curl\n'),
      /the next instruction \(COPY, line 3\) runs before any install/,
    );
    assert.match(
      refusal('FROM debian\nRUN apt-get update\nRUN apt-get update && apt-get install -y curl\n'),
      /refreshes the index itself/,
    );
    assert.match(
      refusal('FROM debian\nRUN apt-get update && echo hi\nRUN apt-get install -y curl\n'),
      /does more than refresh the index/,
    );
    assert.match(
      refusal('FROM debian\nRUN apt-get update\nRUN apt-get install -y a; apt-get install -y b\n'),
      /is not one `&&` chain/,
    );
    assert.match(refusal('FROM debian\nRUN apt-get update\nRUN pip install x\n'), /does not install with `apt-get`/);
    assert.match(refusal('FROM debian\nRUN apt-get update\n'), /no later RUN of the stage installs with it/);
    assert.match(
      refusal('FROM debian\nRUN --network=host apt-get update\nRUN apt-get install -y curl\n'),
      /the next RUN does not have this RUN's `--network=host`/,
    );
  });
});

describe('cleanup-in-separate-layer fix', () => {
  test('the cleanup moves into the RUN that left the cache; its RUN goes when empty, stays when not', () => {
    assert.equal(
      fixed('FROM debian\nRUN apt-get update && apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/*\n'),
      'FROM debian\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n',
    );
    const outcome = fix(
      'FROM debian\nRUN apt-get update \\\n && apt-get install -y curl\nRUN apt-get clean && rm -rf /var/lib/apt/lists/* && echo done\n',
    );
    assert.equal(
      outcome.after,
      'FROM debian\nRUN apt-get update \\\n && apt-get install -y curl \\\n && apt-get clean \\\n && rm -rf /var/lib/apt/lists/*\nRUN echo done\n',
    );
    assert.equal(outcome.passes, 2, 'the second cleanup touches the same place: it waits for the next pass');
    // No final newline: the moved cleanup still ends the file without one.
    assert.equal(
      fixed('FROM debian\nRUN apt-get update && apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/*'),
      'FROM debian\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*',
    );
  });

  test('refused with the reason', () => {
    assert.match(
      refusal(
        'FROM debian\nRUN apt-get update && apt-get install -y curl\nRUN apt-get install -y b\nRUN rm -rf /var/lib/apt/lists/*\n',
      ),
      /line 3 still uses the apt package lists/,
    );
    assert.match(refusal('FROM debian\nCOPY a.tgz /tmp/\nRUN tar xf /tmp/a.tgz && rm /tmp/a.tgz\n'), /COPY created it/);
    assert.match(
      refusal('FROM debian AS base\nRUN apt-get update && apt-get install -y curl\nFROM base\nRUN rm -rf /var/lib/apt/lists/*\n'),
      /the cache was left in another stage \(line 2\)/,
    );
    assert.match(
      refusal('FROM debian\nRUN apt-get update && apt-get install -y curl\nRUN true || rm -rf /var/lib/apt/lists/*\n'),
      /joined to the rest of its RUN by `\|\|`/,
    );
  });
});

describe('package-cache-cleanup fix', () => {
  test('every pip install of a RUN gets --no-cache-dir in one pass (one finding per RUN and cache)', () => {
    const outcome = fixDockerfile(
      'FROM python:3.12\nRUN python3 -m pip install --upgrade pip && \\\n    python3 -m pip install requests && \\\n    pip install x\n',
      { rules: [ruleById('package-cache-cleanup')!] },
    );
    assert.equal(
      outcome.after,
      'FROM python:3.12\nRUN python3 -m pip install --no-cache-dir --upgrade pip && \\\n    python3 -m pip install --no-cache-dir requests && \\\n    pip install --no-cache-dir x\n',
    );
    assert.deepEqual([outcome.passes, outcome.applied.length], [1, 1]);
  });
});

describe('early-volatile-arg fix', () => {
  const evaRules = [ruleById('early-volatile-arg')!];
  const fixEva = (text: string, unsafe = false) => fixDockerfile(text, { rules: evaRules, unsafe });

  test('the ARG moves, byte for byte, to just before its first use; the sequence check accepts the move', () => {
    const outcome = fixEva(
      'FROM debian:12\r\n  ARG GIT_COMMIT\r\nRUN apt-get update && apt-get install -y curl\r\nRUN mkdir /app\r\nLABEL rev=$GIT_COMMIT\r\n',
    );
    assert.equal(
      outcome.after,
      'FROM debian:12\r\nRUN apt-get update && apt-get install -y curl\r\nRUN mkdir /app\r\n  ARG GIT_COMMIT\r\nLABEL rev=$GIT_COMMIT\r\n',
    );
    assert.deepEqual(
      outcome.applied.map((a) => [a.rule, a.safety, a.pass]),
      [['early-volatile-arg', 'safe', 1]],
    );
  });

  test('a RUN left behind that might read the variable (make, pip, a script): only with --fix-unsafe', () => {
    const text =
      'FROM python:3.12\nARG BUILD_ID\nRUN pip install -r requirements.txt\nRUN ./build.sh\nRUN echo $BUILD_ID > /id\n';
    assert.equal(fixEva(text).changed, false);
    assert.equal(
      fixEva(text, true).after,
      'FROM python:3.12\nRUN pip install -r requirements.txt\nRUN ./build.sh\nARG BUILD_ID\nRUN echo $BUILD_ID > /id\n',
    );
  });

  test('refused with the reason: never used, several names in one ARG', () => {
    const refusedEva = (text: string) => fixEva(text, true).refused.map((r) => r.reason);
    assert.deepEqual(refusedEva('FROM debian:12\nARG GIT_SHA\nRUN apt-get update\n'), [
      'it is never used: delete it, or declare it where it is needed',
    ]);
    assert.deepEqual(refusedEva('FROM debian:12\nARG GIT_SHA USER=app\nRUN apt-get update\nRUN echo $GIT_SHA\n'), [
      'this ARG declares several names: give this one its own ARG',
    ]);
  });
});

describe('prefer-cache-mount fix (unsafe)', () => {
  const pcmRules = [ruleById('prefer-cache-mount')!];
  const fixPcm = (text: string, unsafe = true) => fixDockerfile(text, { rules: pcmRules, unsafe });
  const keepCache =
    'rm -f /etc/apt/apt.conf.d/docker-clean && echo \'Binary::apt::APT::Keep-Downloaded-Packages "true";\' > /etc/apt/apt.conf.d/keep-cache && ';

  test('apt: both places under locked mounts, keep-cache instead of docker-clean, the pointless cleanups removed', () => {
    assert.equal(
      fixPcm(
        'FROM debian:12\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends gcc \\\n && apt-get clean \\\n && rm -rf /var/lib/apt/lists/*\n',
      ).after,
      `FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked ${keepCache}apt-get update \\\n && apt-get install -y --no-install-recommends gcc\n`,
    );
    // A cleanup joined by `||` stays (taking it out would change what runs on failure); so does one of other paths.
    assert.equal(
      fixPcm('FROM debian:12\nRUN apt-get update && apt-get install -y gcc || rm -rf /var/lib/apt/lists/* && rm -rf /tmp/x\n')
        .after,
      `FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked ${keepCache}apt-get update && apt-get install -y gcc || rm -rf /var/lib/apt/lists/* && rm -rf /tmp/x\n`,
    );
  });

  test("pip and npm: a mount on the manager's cache directory; other flags stay", () => {
    assert.equal(
      fixPcm('FROM python:3.12\nRUN --network=host pip install -r requirements.txt\n').after,
      'FROM python:3.12\nRUN --network=host --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt\n',
    );
    assert.equal(
      fixPcm('FROM node:22\nRUN npm ci && npm cache clean --force\n').after,
      'FROM node:22\nRUN --mount=type=cache,target=/root/.npm npm ci\n',
    );
  });

  test('with every rule: no cleanup another rule adds in the same pass survives to empty the new mount', () => {
    // package-cache-cleanup sees the RUN without its mount and appends the cleanup (or `--no-cache-dir`) in the pass
    // prefer-cache-mount adds the mount; the next pass takes it out again, or every build would download everything.
    const all = (text: string) => fixDockerfile(text, { rules: allRules, unsafe: true }).after;
    assert.equal(
      all('FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends hello=2.10-3\n'),
      `FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked ${keepCache}apt-get update && apt-get install -y --no-install-recommends hello=2.10-3\n`,
    );
    assert.equal(
      all('FROM node:22\nRUN npm install -g yarn@1.22.22\n'),
      'FROM node:22\nRUN --mount=type=cache,target=/root/.npm npm install -g yarn@1.22.22\n',
    );
    // Under a non-root USER the Dockerfile creates, every rule sees that user's $HOME: package-cache-cleanup does not
    // take ~/.npm for /root/.npm and append a cleanup in every pass (the fixes never settled).
    const nonRoot = all('FROM debian:12\nRUN useradd -l -u 1234 -m app\nUSER app\nRUN npm install is-number@7.0.0\n');
    assert.equal(
      nonRoot,
      'FROM debian:12\nRUN useradd -l -u 1234 -m app\nUSER app\nRUN --mount=type=cache,target=/home/app/.npm,uid=1234 npm install is-number@7.0.0\n',
    );
    assert.equal(
      all('FROM python:3.12\nRUN pip install requests==2.32.3\n'),
      'FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache/pip pip install requests==2.32.3\n',
    );
  });

  test('only with --fix-unsafe or the fix-unsafe config opt-in', () => {
    const text = 'FROM python:3.12\nRUN pip install x\n';
    assert.equal(fixPcm(text, false).changed, false);
    const optIn = fixDockerfile(text, {
      rules: pcmRules,
      config: { ...DEFAULT_CONFIG, fixUnsafe: new Set(['prefer-cache-mount']) },
    });
    assert.equal(optIn.after, 'FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache/pip pip install x\n');
  });

  test("a non-root USER: the mount gets its uid (and gid when known) and sits in that user's home", () => {
    // Created here with a numeric uid: its home is useradd's default, /home/NAME.
    assert.equal(
      fixPcm('FROM debian:12\nRUN useradd -l -u 1234 -m app\nUSER app\nRUN npm ci\n').after,
      'FROM debian:12\nRUN useradd -l -u 1234 -m app\nUSER app\nRUN --mount=type=cache,target=/home/app/.npm,uid=1234 npm ci\n',
    );
    // A numeric USER with its group; the account's home given with -d; USER inherited from the stage built on.
    assert.equal(
      fixPcm(
        'FROM debian:12 AS base\nRUN groupadd -g 2000 app && useradd -u 1234 -g 2000 -d /srv/app app\nUSER 1234:2000\nFROM base\nRUN pip install x\n',
      ).after,
      'FROM debian:12 AS base\nRUN groupadd -g 2000 app && useradd -u 1234 -g 2000 -d /srv/app app\nUSER 1234:2000\nFROM base\nRUN --mount=type=cache,target=/srv/app/.cache/pip,uid=1234,gid=2000 pip install x\n',
    );
    // The account's gid from useradd -g; Debian's adduser --system (home /nonexistent unless --home); busybox adduser.
    assert.equal(
      fixPcm('FROM debian:12\nRUN adduser --system --uid 999 --home /var/lib/svc svc\nUSER svc\nRUN yarn install\n').after,
      'FROM debian:12\nRUN adduser --system --uid 999 --home /var/lib/svc svc\nUSER svc\nRUN --mount=type=cache,target=/var/lib/svc/.cache/yarn,uid=999 yarn install\n',
    );
    assert.equal(
      fixPcm('FROM alpine:3.20\nRUN adduser -D -u 1001 web\nUSER web:web\nRUN npm ci\n').after,
      'FROM alpine:3.20\nRUN adduser -D -u 1001 web\nUSER web:web\nRUN --mount=type=cache,target=/home/web/.npm,uid=1001 npm ci\n',
    );
    // The home directory does not matter when ENV sets HOME or the cache directory: a numeric uid is enough.
    assert.equal(
      fixPcm('FROM node:22\nENV HOME=/work\nUSER 1000\nRUN npm ci\n').after,
      'FROM node:22\nENV HOME=/work\nUSER 1000\nRUN --mount=type=cache,target=/work/.npm,uid=1000 npm ci\n',
    );
    // A USER given by an ARG the Dockerfile sets.
    assert.equal(
      fixPcm('FROM python:3.12\nARG UID=1000\nENV PIP_CACHE_DIR=/cache/pip\nUSER $UID\nRUN pip install x\n').after,
      'FROM python:3.12\nARG UID=1000\nENV PIP_CACHE_DIR=/cache/pip\nUSER $UID\nRUN --mount=type=cache,target=/cache/pip,uid=1000 pip install x\n',
    );
    assert.equal(
      fixPcm('FROM python:3.12\nENV PIP_CACHE_DIR=/cache/pip\nUSER 1000:1000\nRUN pip install x\n').after,
      'FROM python:3.12\nENV PIP_CACHE_DIR=/cache/pip\nUSER 1000:1000\nRUN --mount=type=cache,target=/cache/pip,uid=1000,gid=1000 pip install x\n',
    );
  });

  test("a non-root USER's mount without uid= gets it (the fix check lets a RUN's cache mount be rewritten)", () => {
    assert.equal(
      fixDockerfile(
        'FROM debian:12\nRUN useradd -l -u 1234 -m app\nUSER app\nRUN --mount=type=cache,target=/home/app/.npm npm ci && npm cache clean --force\n',
        { rules: allRules, unsafe: true },
      ).after,
      'FROM debian:12\nRUN useradd -l -u 1234 -m app\nUSER app\nRUN --mount=type=cache,target=/home/app/.npm,uid=1234 npm ci\n',
    );
  });

  test('refused with the reason: a user not known statically, apk, heredoc, exec form', () => {
    const reasons = (text: string) => fixPcm(text).refused.map((r) => r.reason);
    assert.deepEqual(reasons('FROM node:22\nUSER node\nRUN npm ci\n'), [
      "the RUN runs as USER node, whose uid is only in the base image's /etc/passwd: a cache mount it can write needs `uid=`",
    ]);
    assert.deepEqual(reasons('FROM debian:12\nRUN useradd -m app\nUSER app\nRUN npm ci\n'), [
      'the RUN runs as USER app, created without a numeric uid (the next free one, which depends on the base image): a cache mount it can write needs `uid=`',
    ]);
    assert.deepEqual(reasons('FROM jupyter/base-notebook\nUSER root\nRUN echo\nUSER $NB_UID\nRUN pip install x\n'), [
      'the RUN runs as a USER named by a variable only the base image sets',
    ]);
    assert.deepEqual(reasons('FROM node:22\nUSER 1000\nRUN npm ci\n'), [
      "the RUN runs as USER 1000, whose home directory (where `npm` keeps its cache) is only in the base image's /etc/passwd",
    ]);
    assert.deepEqual(reasons('FROM debian:12\nRUN useradd -u 1234 app\nUSER app\nRUN sudo apt-get install -y gcc\n'), [
      "the RUN runs as USER app: apt needs root (sudo), and its mounts would be root's",
    ]);
    assert.deepEqual(reasons('FROM alpine\nRUN apk add curl\n'), [
      'no cache-mount fix for `apk`: its cache needs more than a mount',
    ]);
    assert.deepEqual(reasons('FROM python:3.12\nRUN <<EOF\npip install x\nEOF\n'), [
      'only a shell-form RUN without heredocs gets a cache mount',
    ]);
    assert.deepEqual(reasons('FROM python:3.12\nRUN ["pip", "install", "x"]\n'), [
      'only a shell-form RUN without heredocs gets a cache mount',
    ]);
    // Without --fix-unsafe the rule's refusals are not shown: nothing would have been applied anyway.
    assert.deepEqual(fixPcm('FROM alpine\nRUN apk add curl\n', false).refused, []);
    // USER root again: fixed.
    assert.equal(fixPcm('FROM node:22\nUSER node\nUSER root\nRUN npm ci\n').changed, true);
  });
});

describe('bytes a fix must not touch', () => {
  test('CRLF, BOM and tabs: new lines use CRLF; everything else stays byte for byte', () => {
    assert.equal(
      fixed('\ufeffFROM debian\r\nRUN apt-get install -y python3-pip && \\\r\n\tpip install x\r\n# end\r\n'),
      '\ufeffFROM debian\r\nRUN apt-get install -y python3-pip\r\nRUN pip install x\r\n# end\r\n',
    );
    assert.equal(
      fixed('FROM debian\r\nRUN apt-get update\r\nRUN apt-get install -y \\\r\n\tcurl\r\n'),
      'FROM debian\r\nRUN apt-get update && \\\r\n\tapt-get install -y \\\r\n\tcurl\r\n',
    );
  });

  test('the backtick escape: continuations a fix writes use it', () => {
    assert.equal(
      fixed('# escape=`\nFROM debian\nRUN apt-get update\nRUN apt-get install -y `\n  curl\n'),
      '# escape=`\nFROM debian\nRUN apt-get update && `\n  apt-get install -y `\n  curl\n',
    );
  });

  test('heredocs and ONBUILD next to a fixed RUN stay as they are', () => {
    const heredoc = 'COPY <<EOF /etc/x.conf\n\tindented\r\nEOF\nONBUILD RUN apt-get install -y x && pip install y\n';
    assert.equal(
      fixed(`FROM debian\n${heredoc}RUN apt-get install -y python3-pip && pip install x\n`),
      `FROM debian\n${heredoc}RUN apt-get install -y python3-pip\nRUN pip install x\n`,
    );
  });

  test('a file with nothing to fix comes back identical, whatever its bytes', () => {
    const text = '\ufeff# escape=`\r\nFROM debian\r\nRUN echo a `\r\n\t&& echo b\r\nONBUILD RUN x\r\nRUN <<EOF\r\necho hi\r\nEOF';
    assert.deepEqual([fix(text).after, fix(text).changed], [text, false]);
  });
});

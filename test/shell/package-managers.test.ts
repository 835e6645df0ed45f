import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeScript } from '../../src/shell/commands.js';
import { lookalikeOf } from '../../src/shell/package-managers/args.js';
import { packageManagerCalls } from '../../src/shell/package-managers/index.js';

function calls(source: string) {
  return packageManagerCalls(analyzeScript(source));
}

/** manager:operation for each call, and the packages as name[=version][!] (! = pinned). */
function summary(source: string): string[] {
  return calls(source).map(
    (c) =>
      `${c.manager}:${c.operation}${c.packages.length ? ` ${c.packages.map((p) => `${p.name}${p.version ? `=${p.version}` : ''}${p.pinned ? '!' : ''}${p.kind !== 'name' ? `(${p.kind})` : ''}`).join(' ')}` : ''}`,
  );
}

test('apt-get: update, install with pins, flags, recommends, -y, clean', () => {
  const source =
    'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates curl=7.88.1-10+deb12u5 libc6:amd64 && apt-get clean && rm -rf /var/lib/apt/lists/*';
  assert.deepEqual(summary(source), [
    'apt-get:update',
    'apt-get:install ca-certificates curl=7.88.1-10+deb12u5! libc6:amd64',
    'apt-get:clean',
  ]);
  const [update, install, clean] = calls(source);
  assert.deepEqual(
    update.caches.map((c) => c.path),
    ['/var/lib/apt/lists'],
  );
  assert.deepEqual([install.assumeYes, install.noInstallRecommends], [true, true]);
  assert.deepEqual(
    install.flags.map((f) => [f.name, source.slice(f.start, f.end)]),
    [
      ['-y', '-y'],
      ['--no-install-recommends', '--no-install-recommends'],
    ],
  );
  assert.deepEqual(
    clean.cleans.map((c) => c.path),
    ['/var/cache/apt'],
  );
  const bare = calls(
    'apt-get install -qq python3 && apt-get -o APT::Install-Recommends=false -o APT::Get::Assume-Yes=true install x',
  );
  assert.deepEqual([bare[0].assumeYes, bare[0].noInstallRecommends], [true, false], 'quiet level 2 implies -y');
  assert.deepEqual([bare[1].assumeYes, bare[1].noInstallRecommends], [true, true]);
  assert.equal(calls('apt-get -qqy install x')[0].assumeYes, true, '-y inside a short-option cluster');
  assert.deepEqual(
    ['apt-get -q install x', 'apt-get -q -q install x', 'apt-get -q=2 install x', 'apt-get -o quiet=2 install x'].map(
      (script) => calls(script)[0].assumeYes,
    ),
    [false, true, true, true],
    'apt never prompts at quiet level 2 (private-install.cc)',
  );
  assert.equal(calls('apt-get install -s x')[0].assumeYes, true, 'a simulation asks nothing');
});

test('apt, aptitude and dpkg', () => {
  assert.deepEqual(
    summary('apt update && apt full-upgrade -y && aptitude install -y -R vim && dpkg -i /tmp/x.deb && dpkg --purge y'),
    ['apt:update', 'apt:upgrade', 'aptitude:install vim', 'dpkg:install /tmp/x.deb!(file)', 'dpkg:remove y'],
  );
  assert.equal(calls('aptitude install -y -R vim')[0].noInstallRecommends, true);
});

test('apk: add --no-cache, --virtual is not a package, pins with =, del', () => {
  const source = "apk add --no-cache --virtual .build-deps build-base 'libxml2<2.9.4' curl=8.5.0-r0 && apk del .build-deps";
  assert.deepEqual(summary(source), ['apk:install build-base libxml2=2.9.4 curl=8.5.0-r0!', 'apk:remove .build-deps']);
  const [add] = calls(source);
  assert.equal(add.noCache, true);
  assert.deepEqual(
    add.caches.map((c) => c.path),
    ['/var/cache/apk'],
  );
  assert.equal(add.flags.find((f) => f.name === '--virtual')?.value, '.build-deps');
  assert.deepEqual(summary('apk update && apk upgrade && apk cache clean'), ['apk:update', 'apk:upgrade', 'apk:clean']);
});

test('dnf, yum, microdnf: -y, groups, weak deps, clean all', () => {
  assert.deepEqual(
    summary(
      'dnf -y upgrade && dnf install -y --setopt=install_weak_deps=False rpm-build nginx-1.24.0 && dnf group install -y "Development Tools" && dnf clean all',
    ),
    ['dnf:upgrade', 'dnf:install rpm-build nginx=1.24.0!', 'dnf:install Development Tools', 'dnf:clean'],
  );
  const [, install, , clean] = calls(
    'dnf -y upgrade && dnf install -y --setopt=install_weak_deps=False x && dnf group install -y g && dnf clean all',
  );
  assert.deepEqual([install.assumeYes, install.noInstallRecommends], [true, true]);
  assert.deepEqual(
    clean.cleans.map((c) => c.path),
    ['/var/cache/dnf'],
  );
  assert.deepEqual(summary('yum install wget && yum update -y && yum makecache'), [
    'yum:install wget',
    'yum:upgrade',
    'yum:update',
  ]);
  assert.equal(calls('yum install wget')[0].assumeYes, false);
  assert.deepEqual(summary('microdnf install -y varnish --nodocs && microdnf clean all'), [
    'microdnf:install varnish',
    'microdnf:clean',
  ]);
});

test('zypper: global -n before the command, refresh, --no-recommends', () => {
  const [install] = calls('zypper -n install --no-recommends osc vim=9.0');
  assert.deepEqual([install.operation, install.assumeYes, install.noInstallRecommends], ['install', true, true]);
  assert.deepEqual(summary('zypper ref && zypper in -y curl && zypper clean -a'), [
    'zypper:update',
    'zypper:install curl',
    'zypper:clean',
  ]);
  assert.equal(calls('zypper install curl')[0].assumeYes, false);
});

test('pip in all its spellings, requirements files, pins, --no-cache-dir and PIP_NO_CACHE_DIR', () => {
  assert.deepEqual(
    summary(
      'pip install flask==3.0.2 "requests>=2" && pip3 install -r /tmp/requirements.txt && python3 -m pip install --upgrade pip && python3.12 -m pip install -e . && /opt/venv/bin/pip install "uvicorn[standard]==0.29.0" && uv pip install --system ruff && pip uninstall -y six',
    ),
    [
      'pip:install flask=3.0.2! requests=2',
      'pip:install /tmp/requirements.txt(requirements)',
      'pip:install pip',
      'pip:install .(path)',
      'pip:install uvicorn=0.29.0!',
      'pip:install ruff',
      'pip:remove six',
    ],
  );
  const [noCache] = calls('pip install --no-cache-dir x');
  assert.equal(noCache.noCache, true);
  assert.equal(calls('PIP_NO_CACHE_DIR=1 pip install x')[0].noCache, true);
  assert.equal(
    packageManagerCalls(analyzeScript('pip install x', { env: { PIP_NO_CACHE_DIR: 'off' } }))[0].noCache,
    true,
    'from ENV',
  );
  assert.deepEqual(
    calls('pip install x')[0].caches.map((c) => c.path),
    ['/root/.cache/pip'],
  );
  assert.deepEqual(
    calls('export PIP_CACHE_DIR=/tmp/pc && pip install x')[0].caches.map((c) => c.path),
    ['/tmp/pc'],
  );
  assert.deepEqual(
    calls('uv pip install x')[0].caches.map((c) => c.path),
    ['/root/.cache/uv'],
  );
  assert.deepEqual(summary('pip cache purge'), ['pip:clean']);
  assert.deepEqual(summary('python3 setup.py install && python -c "import pip"'), []);
});

test('conda, mamba, micromamba', () => {
  assert.deepEqual(
    summary(
      'conda install -y -c conda-forge jpeg=8d pillow==3.1.1 "numpy>=1.2" && mamba install -y x && micromamba install -y -n base y && conda clean -afy',
    ),
    ['conda:install jpeg=8d! pillow=3.1.1! numpy=1.2', 'conda:install x', 'conda:install y', 'conda:clean'],
  );
  assert.deepEqual(
    calls('conda clean -afy')[0].cleans.map((c) => c.path),
    ['/opt/conda/pkgs'],
  );
  assert.equal(calls('conda install numpy')[0].assumeYes, false);
});

test('npm, yarn, pnpm', () => {
  assert.deepEqual(summary('npm ci && npm install -g pnpm@10.30.3 @angular/cli@^17 && npm cache clean --force'), [
    'npm:install',
    'npm:install pnpm=10.30.3! @angular/cli=^17',
    'npm:clean',
  ]);
  assert.deepEqual(
    calls('npm install')[0].caches.map((c) => c.path),
    ['/root/.npm'],
  );
  assert.deepEqual(
    summary('yarn && yarn install --frozen-lockfile && yarn add left-pad@1.3.0 && yarn global add serve && yarn cache clean'),
    ['yarn:install', 'yarn:install', 'yarn:install left-pad=1.3.0!', 'yarn:install serve', 'yarn:clean'],
  );
  assert.deepEqual(summary('pnpm install --frozen-lockfile && pnpm add -D vite@5.2.0 && pnpm store prune'), [
    'pnpm:install',
    'pnpm:install vite=5.2.0!',
    'pnpm:clean',
  ]);
});

test('gem and bundle', () => {
  assert.deepEqual(
    summary('gem install bundler -v 2.5.6 && gem install rails:7.1.3 thin --no-document && bundle install --jobs 4 && bundle'),
    ['gem:install bundler=2.5.6!', 'gem:install rails=7.1.3! thin', 'bundle:install', 'bundle:install'],
  );
  assert.deepEqual(
    calls('gem install x')[0].caches.map((c) => c.path),
    ['/usr/local/bundle/cache', '/var/lib/gems'],
  );
});

test('go, cargo, composer', () => {
  assert.deepEqual(
    summary(
      'go install golang.org/x/tools/gopls@v0.15.2 && go install github.com/x/y@latest && go mod download && go clean -cache -modcache',
    ),
    ['go:install golang.org/x/tools/gopls=v0.15.2!', 'go:install github.com/x/y=latest', 'go:install', 'go:clean'],
  );
  const go = packageManagerCalls(analyzeScript('go install ./cmd/x', { env: { GOPATH: '/go' } }))[0];
  assert.deepEqual(
    go.caches.map((c) => c.path),
    ['/root/.cache/go-build', '/go/pkg/mod'],
  );
  assert.deepEqual(
    summary('cargo install capnpc && cargo install --locked ripgrep --version 14.1.0 && cargo +nightly install sccache@0.7.7'),
    ['cargo:install capnpc', 'cargo:install ripgrep=14.1.0!', 'cargo:install sccache=0.7.7!'],
  );
  const cargo = packageManagerCalls(analyzeScript('cargo install x', { env: { CARGO_HOME: '/usr/local/cargo' } }))[0];
  assert.deepEqual(
    cargo.caches.map((c) => c.path),
    ['/usr/local/cargo/registry', '/usr/local/cargo/git'],
  );
  assert.deepEqual(
    summary('composer install -o --no-dev && composer require monolog/monolog:3.5.0 guzzle/guzzle:^7 && composer clear-cache'),
    ['composer:install', 'composer:install monolog/monolog=3.5.0! guzzle/guzzle=^7', 'composer:clean'],
  );
  assert.equal(calls('composer install --no-cache')[0].noCache, true);
});

test('wrappers are looked through: sudo, env, command', () => {
  assert.deepEqual(summary('sudo -E apt-get install -y x && env PIP_NO_CACHE_DIR=1 pip install y && command -v apk'), [
    'apt-get:install x',
    'pip:install y',
  ]);
  assert.equal(calls('env PIP_NO_CACHE_DIR=1 pip install y')[0].noCache, true);
});

test('look-alike dashes in flag position are reported with what was meant and exact offsets', () => {
  // The article's typo: an en dash after a hyphen.
  const source = 'apt-get install -y -\u2013no-install-recommends curl \u2014-enable-debug \u2013y \u2212q';
  const [install] = calls(source);
  assert.equal(install.noInstallRecommends, true, 'flags count as meant; `lookalike` marks the typo for unicode-dash-in-flag');
  const flags = install.flags.filter((f) => f.lookalike);
  assert.deepEqual(
    flags.map((f) => [
      f.word.text,
      f.lookalike!.meant,
      f.lookalike!.characters.map((c) => [c.codePoint, source.slice(c.offset, c.offset + 1)]),
    ]),
    [
      ['-\u2013no-install-recommends', '--no-install-recommends', [['U+2013', '\u2013']]],
      ['\u2014-enable-debug', '--enable-debug', [['U+2014', '\u2014']]],
      ['\u2013y', '-y', [['U+2013', '\u2013']]],
      ['\u2212q', '-q', [['U+2212', '\u2212']]],
    ],
  );
  const configure = analyzeScript('./configure \u2013enable-zlib').commands[0];
  assert.equal(lookalikeOf(configure.argv[1])?.meant, '--enable-zlib');
  assert.equal(lookalikeOf(configure.argv[0]), undefined);
});

test('lookalikeOf says which flag was meant, and whether that is certain; prose is not a flag', () => {
  const word = (text: string) => analyzeScript(`x ${text}`).commands[0].argv[1];
  const meant = (text: string) => lookalikeOf(word(text))?.meant;
  assert.equal(meant('-\u2013no-install-recommends'), '--no-install-recommends');
  assert.deepEqual(
    lookalikeOf(word('-\u2013no-install-recommends'))?.characters.map((c) => c.name),
    ['en dash'],
  );
  assert.equal(meant('\u2013no-cache'), '--no-cache');
  assert.equal(meant('\u2014yes'), '--yes');
  assert.equal(meant('\u2013y'), '-y');
  assert.equal(meant('\u2212rf'), '-rf', 'a minus sign is a typed -');
  assert.equal(lookalikeOf(word('\u2013rf'))?.certain, false, 'one en dash before a long name is probably, not certainly, --');
  assert.equal(lookalikeOf(word('-\u2013rf'))?.certain, true);
  for (const text of ['--no-cache', '\u2013', '\u2014\u2014', '\u2013\u2013\u2013x', 'a\u2013b'])
    assert.equal(lookalikeOf(word(text)), undefined, text);
});

test('one manager per command name: every spelling reaches its manager, near-misses reach none', () => {
  const recognised = (line: string) => calls(line).map((c) => c.manager);
  const spellings: [string, string][] = [
    ['apt-get update', 'apt-get'],
    ['/usr/bin/apt update', 'apt'],
    ['aptitude update', 'aptitude'],
    ['dpkg -i x.deb', 'dpkg'],
    ['apk add x', 'apk'],
    ['dnf5 install -y x', 'dnf'],
    ['dnf-3 install -y x', 'dnf'],
    ['yum install -y x', 'yum'],
    ['microdnf install x', 'microdnf'],
    ['tdnf install -y x', 'tdnf'],
    ['zypper -n in x', 'zypper'],
    ['pip3.12 install x', 'pip'],
    ['python3.11 -m pip install x', 'pip'],
    ['uv pip install x', 'pip'],
    ['micromamba install x', 'conda'],
    ['yarnpkg add x', 'yarn'],
    ['pnpm add x', 'pnpm'],
    ['npm ci', 'npm'],
    ['gem2.7 install x', 'gem'],
    ['bundler install', 'bundle'],
    ['go install x@v1.0.0', 'go'],
    ['cargo install x', 'cargo'],
    ['php composer.phar install', ''],
    ['./composer.phar install', 'composer'],
    ['sudo -u app env A=1 nice -10 apt-get install -y x', 'apt-get'],
  ];
  for (const [line, manager] of spellings) assert.deepEqual(recognised(line), manager ? [manager] : [], line);
  for (const line of [
    'pip3.12.1 install x',
    'python3 setup.py install',
    'uv sync',
    'gem-ctl install x',
    'apt2 install x',
    'dnf-4 install x',
    'command -v apk',
    'gems install x',
  ])
    assert.deepEqual(recognised(line), [], line);
});

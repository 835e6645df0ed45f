/**
 * pip in every spelling: `pip`, `pip3`, `pip3.12`, `python -m pip`, `python3.12 -m pip`, `/opt/venv/bin/pip`, and
 * `uv pip`. The cache is $PIP_CACHE_DIR, else $XDG_CACHE_HOME/pip, else ~/.cache/pip (uv: $UV_CACHE_DIR or
 * ~/.cache/uv). `--no-cache-dir`, or PIP_NO_CACHE_DIR set to any value (pip treats even `0` as "no cache"), avoids it.
 */
import type { Word } from '../ast.js';
import { basename, type SimpleCommand } from '../commands.js';
import { cache, call, type Env, hasFlag, home, packageSpec, parseArgs, subcommandOf, unwrap, withWrapperEnv } from './args.js';
import type { CachePath, Operation, PackageManager, PackageSpec } from './types.js';

const withValue = new Set([
  '-r',
  '--requirement',
  '-c',
  '--constraint',
  '-e',
  '--editable',
  '-i',
  '--index-url',
  '--extra-index-url',
  '-f',
  '--find-links',
  '-t',
  '--target',
  '--prefix',
  '--root',
  '--cache-dir',
  '--src',
  '--upgrade-strategy',
  '--python-version',
  '--platform',
  '--implementation',
  '--abi',
  '--no-binary',
  '--only-binary',
  '--trusted-host',
  '--proxy',
  '--timeout',
  '--retries',
  '--log',
  '--progress-bar',
  '-C',
  '--config-settings',
  '--global-option',
  '--python',
  '-p',
  '--report',
  '--root-user-action',
  '-d',
  '--dest',
  '-w',
  '--wheel-dir',
]);

const operations: Record<string, Operation> = {
  install: 'install',
  sync: 'install',
  uninstall: 'remove',
  download: 'other',
  wheel: 'other',
};

/** The words naming pip (`pip3`, `python3 -m pip`, `uv pip`) and the rest, or undefined. */
function invocation(words: Word[]): { invoked: Word[]; rest: Word[]; uv: boolean } | undefined {
  const base = basename(words[0]?.value ?? '');
  if (/^pip(\d+(\.\d+)?)?$/.test(base)) return { invoked: words.slice(0, 1), rest: words.slice(1), uv: false };
  if (base === 'uv' && words[1]?.value === 'pip') return { invoked: words.slice(0, 2), rest: words.slice(2), uv: true };
  if (/^python(\d+(\.\d+)?)?$/.test(base)) {
    let i = 1;
    while (i < words.length && /^-[IbBdEOqsSuvx]+$/.test(words[i].value ?? '')) i++;
    if (words[i]?.value === '-m' && words[i + 1]?.value === 'pip')
      return { invoked: words.slice(0, i + 2), rest: words.slice(i + 2), uv: false };
    if (words[i]?.value === '-mpip') return { invoked: words.slice(0, i + 1), rest: words.slice(i + 1), uv: false };
  }
  return undefined;
}

function cachePath(env: Env, uv: boolean): CachePath {
  if (uv) return cache(env.UV_CACHE_DIR ?? `${env.XDG_CACHE_HOME ?? `${home(env)}/.cache`}/uv`, 'uv cache');
  return cache(env.PIP_CACHE_DIR ?? `${env.XDG_CACHE_HOME ?? `${home(env)}/.cache`}/pip`, 'pip cache');
}

export const pipManager: PackageManager = {
  id: 'pip',
  family: 'python',
  // `invocation` narrows these: `pip3.12` but not `pip3.12.1`, `python3 -m pip` but not `python3 script.py`.
  commands: { exact: ['pip', 'uv', 'python'], versioned: ['pip', 'python'] },
  recognise(command: SimpleCommand, env: Env) {
    const { words, env: wrapperEnv } = unwrap(command);
    const found = invocation(words);
    if (!found) return undefined;
    const seen = withWrapperEnv(env, wrapperEnv);
    const parsed = parseArgs(found.rest, withValue);
    const { subcommand, name, operands } = subcommandOf(parsed);
    let operation: Operation = (name !== undefined && operations[name]) || 'other';
    if (name === 'cache' && ['purge', 'remove'].includes(operands[0]?.value ?? '')) operation = 'clean';
    const relocated = parsed.flags.find((f) => f.name === '--cache-dir')?.value;
    const noCache = found.uv
      ? hasFlag(parsed.flags, '--no-cache', '-n') || seen.UV_NO_CACHE !== undefined
      : hasFlag(parsed.flags, '--no-cache-dir', '--no-cache', '--no-cache-d', '--no-cache-di') ||
        seen.PIP_NO_CACHE_DIR !== undefined;
    const where = relocated ? cache(relocated, found.uv ? 'uv cache' : 'pip cache') : cachePath(seen, found.uv);
    const fetches = operation === 'install' || name === 'download' || name === 'wheel';
    const packages: PackageSpec[] = [];
    if (operation === 'install' || operation === 'remove') {
      for (const flag of parsed.flags) {
        if (!flag.valueWord) continue;
        if (['-r', '--requirement'].includes(flag.name))
          packages.push({ ...packageSpec(flag.valueWord, parsePipPackage), kind: 'requirements', pinned: false });
        if (['-e', '--editable'].includes(flag.name))
          packages.push({ ...packageSpec(flag.valueWord, parsePipPackage), kind: 'path', pinned: false });
      }
      packages.push(...operands.map((w) => packageSpec(w, parsePipPackage)));
    }
    return call('pip', 'python', command, {
      invokedAs: found.invoked,
      operation,
      subcommand,
      packages,
      flags: parsed.flags,
      assumeYes: operation !== 'remove' || found.uv || hasFlag(parsed.flags, '-y', '--yes'),
      noCache,
      caches: fetches ? [where] : [],
      cleans: operation === 'clean' ? [where] : [],
    });
  },
};

/** `flask==3.0.2` and `flask===3.0.2` pin; `flask>=3`, `flask~=3.0`, `flask[async]` do not. */
function parsePipPackage(text: string): { name: string; version?: string; pinned: boolean } {
  const m = /^([A-Za-z0-9._-]+(?:\[[^\]]*\])?)\s*(===|==|~=|!=|>=|<=|>|<|@)\s*(.+)$/.exec(text);
  if (!m) return { name: text, pinned: false };
  const exact = (m[2] === '==' || m[2] === '===') && !/[*,;]/.test(m[3]);
  return { name: m[1].replace(/\[.*$/, ''), version: m[3], pinned: exact };
}

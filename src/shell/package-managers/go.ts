/**
 * `go install` / `go get` / `go mod download` (Go). Builds fill the build cache ($GOCACHE, default
 * ~/.cache/go-build) and downloads the module cache ($GOMODCACHE, default $GOPATH/pkg/mod, official images /go/pkg/mod);
 * `go clean -cache -modcache` removes them. `pkg@v1.2.3` pins; `@latest` or no version does not.
 */
import type { SimpleCommand } from '../commands.js';
import { cache, call, type Env, hasFlag, home, invokedAs, packageSpec, parseArgs, subcommandOf } from './args.js';
import type { CachePath, CommandNames, Operation, PackageManager } from './types.js';

const withValue = new Set(['-o', '-C', '-p', '-tags', '-ldflags', '-gcflags', '-mod', '-modfile', '-overlay', '-pgo', '-exec']);

function caches(env: Env): { build: CachePath[]; modules: CachePath[] } {
  const gopath = env.GOPATH?.split(':')[0] ?? `${home(env)}/go`;
  const modules = env.GOMODCACHE ?? (env.GOPATH === undefined ? undefined : `${gopath}/pkg/mod`);
  return {
    build: [cache(env.GOCACHE ?? `${env.XDG_CACHE_HOME ?? `${home(env)}/.cache`}/go-build`, 'go build cache')],
    // GOPATH unknown (a base image's ENV is not read): the official golang images set it to /go.
    modules:
      modules === undefined
        ? [cache(`${gopath}/pkg/mod`, 'go module cache'), cache('/go/pkg/mod', 'go module cache')]
        : [cache(modules, 'go module cache')],
  };
}

const commands: CommandNames = { exact: ['go'] };

export const goManager: PackageManager = {
  id: 'go',
  commands,
  family: 'go',
  recognise(command: SimpleCommand, env: Env) {
    const found = invokedAs(command, commands);
    if (!found) return undefined;
    const parsed = parseArgs(found.rest, withValue);
    const { subcommand, name, operands } = subcommandOf(parsed);
    const { build, modules } = caches(env);
    let operation: Operation = 'other';
    let leaves: CachePath[] = [];
    let cleans: CachePath[] = [];
    if (name === 'install' || name === 'get') {
      operation = 'install';
      leaves = [...build, ...modules];
    } else if (name === 'mod' && operands[0]?.value === 'download') {
      operation = 'install';
      leaves = modules;
    } else if (name === 'build' || name === 'test' || name === 'run' || name === 'generate') {
      leaves = [...build, ...modules];
    } else if (name === 'clean') {
      operation = 'clean';
      cleans = [...(hasFlag(parsed.flags, '-cache') ? build : []), ...(hasFlag(parsed.flags, '-modcache') ? modules : [])];
    }
    const packages =
      operation === 'install' && name !== 'mod'
        ? operands.map((w) =>
            packageSpec(w, (text) => {
              const at = text.lastIndexOf('@');
              if (at < 0) return { name: text, pinned: false };
              const version = text.slice(at + 1);
              return { name: text.slice(0, at), version, pinned: /^v\d/.test(version) || /^[0-9a-f]{12,40}$/.test(version) };
            }),
          )
        : [];
    return call('go', 'go', command, {
      invokedAs: found.invoked,
      operation,
      subcommand,
      packages,
      flags: parsed.flags,
      caches: leaves,
      cleans,
    });
  },
};

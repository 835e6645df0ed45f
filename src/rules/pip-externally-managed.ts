/**
 * pip-externally-managed: `pip install` into the system Python of a base image that marks it EXTERNALLY-MANAGED
 * (PEP 668): pip refuses, and the build fails.
 */
import type { Instruction } from '../dockerfile/index.js';
import { basename } from '../shell/commands.js';
import { commandEnv, hasFlag, unwrap } from '../shell/package-managers/args.js';
import type { PackageManagerCall } from '../shell/package-managers/index.js';
import { defineRule } from './define.js';
import { externallyManagedPython } from './knowledge/pep668.js';
import { inSource } from './knowledge/scripts.js';
import { baseImage, stageOf } from './knowledge/stages.js';

const isPipInstall = (call: PackageManagerCall) => call.manager === 'pip' && call.subcommand?.value === 'install';

const systemFamilies = new Set(['debian', 'alpine', 'rhel', 'suse']);

/** Distribution packages that bring the system Python 3 (and its pip). */
const distroPython = /^(python3(\.[0-9]+)?(-pip|-venv|-dev|-full|-minimal)?|py3-pip|python3-[a-z0-9.-]+|pip)$/;

const systemDirs = new Set(['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin', '']);
/** Options that install somewhere other than the system site-packages, where pip does not check PEP 668. */
const elsewhere = ['--break-system-packages', '--target', '-t', '--prefix', '--root', '--dry-run'];

export default defineRule({
  id: 'pip-externally-managed',
  status: 'stable',
  since: '0.1.0',
  severity: 'error',
  tags: ['correctness'],
  fix: 'never',
  messages: {
    managed:
      '`{{command}}` installs into the system Python of {{image}}, which is marked externally managed (PEP 668): pip refuses and the build fails. Use a virtual environment, a distribution package, or `--break-system-packages`.',
  },
  docs: {
    description: 'A pip install targets the system Python of a base image that forbids it (PEP 668).',
    whatItDoes:
      'Reports `pip install` (also `pip3`, `python3 -m pip`, `uv pip install --system`) in a stage built on an image whose system Python is marked externally managed (Debian 12 (bookworm) and later, Ubuntu 23.04 and later, Alpine 3.19 and later, and `buildpack-deps` images of those releases), after the stage installed the distribution Python (`python3-pip`, `py3-pip`, `python3`…). Not reported: the pip of Python 2; a Python built from source; `--break-system-packages` or `PIP_BREAK_SYSTEM_PACKAGES`; `--target`, `--prefix`, `--root`; a pip called by a path outside the system directories (`/opt/venv/bin/pip`); a virtual environment activated in the same RUN or `VIRTUAL_ENV` set; an ENV that puts another directory on `PATH` (a venv, conda, pyenv); the official `python` images (their Python is not the system one); unknown base images.',
    why: 'pip stops with `error: externally-managed-environment`, so the build fails after every step before it has run. It typically appears on a base-image bump (bullseye to bookworm) and costs a broken pipeline until someone finds out why.',
    example: `FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends python3-pip && rm -rf /var/lib/apt/lists/*
RUN pip install requests`,
    useInstead: `FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends python3-venv && rm -rf /var/lib/apt/lists/*
RUN python3 -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
RUN pip install --no-cache-dir requests`,
    fixSafety:
      'No automatic fix: a virtual environment, a distribution package and `--break-system-packages` are different designs.',
    references: [
      'https://peps.python.org/pep-0668/',
      'https://www.debian.org/releases/bookworm/amd64/release-notes/ch-information.en.html#python3-pep-668',
    ],
  },
  defaultOptions: {},
  create(ctx) {
    /** The stage has set PATH to include a non-system directory, or VIRTUAL_ENV / PIP_BREAK_SYSTEM_PACKAGES, before `instruction`. */
    const environmentAllows = (instruction: Instruction): boolean => {
      for (let stage = stageOf(ctx.stages, instruction); stage; stage = stage.parent) {
        for (const earlier of stage.instructions) {
          if (earlier === instruction) break;
          if (earlier.name !== 'ENV') continue;
          for (const { key, value } of earlier.pairs ?? []) {
            if (key.value === 'VIRTUAL_ENV' || key.value === 'PIP_BREAK_SYSTEM_PACKAGES') return true;
            if (
              key.value === 'PATH' &&
              value.value
                .replace(/["']/g, '')
                .split(':')
                .some((dir) => !dir.startsWith('$') && !systemDirs.has(dir.replace(/\/+$/, '')))
            )
              return true;
          }
        }
      }
      return false;
    };
    /** The distribution's Python 3 is installed by a RUN of the stage's chain before `instruction`, or by `instruction` before `offset`. */
    const installsDistroPython = (instruction: Instruction, offset: number): boolean => {
      for (let stage = stageOf(ctx.stages, instruction); stage; stage = stage.parent) {
        for (const earlier of stage.instructions) {
          if (earlier.name !== 'RUN') continue;
          for (const { call, in: located } of ctx.runScript(earlier).calls) {
            if (earlier === instruction && inSource(located, call.command).start >= offset) break;
            if (!systemFamilies.has(call.family) || call.operation !== 'install' || call.manager === 'dpkg') continue;
            if (call.packages.some((p) => distroPython.test(p.text.split(/[=<>]/)[0]))) return true;
          }
          if (earlier === instruction) break;
        }
      }
      return false;
    };
    return {
      RUN(instruction) {
        const calls = ctx.runScript(instruction).calls;
        // Most RUNs install nothing with pip: the base image is judged only for those that do.
        if (!calls.some(({ call }) => isPipInstall(call))) return;
        const stage = stageOf(ctx.stages, instruction);
        if (!stage) return;
        const image = baseImage(stage);
        if (image.includes('$') || externallyManagedPython(image) !== true) return;
        for (const { call, in: located } of calls) {
          if (!isPipInstall(call)) continue;
          const command = call.command;
          const program = call.invokedAs[0].value ?? '';
          // Python 2's pip knows nothing of PEP 668.
          if (/^(pip|python)2(\.[0-9]+)?$/.test(basename(program))) continue;
          const { start } = inSource(located, call.invokedAs[0]);
          // A pip that is not the distribution's (Python built from source, a downloaded get-pip.py) is not managed.
          if (!installsDistroPython(instruction, start)) continue;
          if (hasFlag(call.flags, ...elsewhere)) continue;
          if (program.includes('/') && !systemDirs.has(program.slice(0, program.lastIndexOf('/')))) continue;
          if (program === 'uv' && !hasFlag(call.flags, '--system')) continue;
          const env = { ...commandEnv(command), ...unwrap(command).env };
          if ('PIP_BREAK_SYSTEM_PACKAGES' in env || 'VIRTUAL_ENV' in env) continue;
          const activated = located.script.commands
            .slice(0, command.index)
            .some((c) => (c.name === '.' || c.name === 'source') && /\/bin\/activate$/.test(c.argv[1]?.value ?? ''));
          if (activated || environmentAllows(instruction)) continue;
          const { end } = inSource(located, call.subcommand!);
          ctx.report({
            range: { start, end },
            messageId: 'managed',
            data: { command: ctx.source.slice(start, end), image },
          });
        }
      },
    };
  },
});

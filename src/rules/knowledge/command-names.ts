/**
 * The programs a RUN runs, by base name (`/usr/bin/sudo` is `sudo`), over all its scripts. Several rules look for one
 * program (`sudo`, `useradd`, `wget`/`curl`, an install tool) and most RUNs run none of them: one set per RUN answers
 * them all without each rule walking every command again.
 */
import { basename } from '../../shell/commands.js';
import type { LocatedScript, RunScript } from './scripts.js';

/**
 * The base names of the static command names of `scripts`: what `RunScript.commandNames` holds, worked out once per
 * RUN analysis on first request (so the set lives as long as the lint run that owns the analysis).
 */
export function namesOfCommands(scripts: readonly LocatedScript[]): ReadonlySet<string> {
  const names = new Set<string>();
  for (const located of scripts) {
    for (const command of located.script.commands) if (command.name !== undefined) names.add(basename(command.name));
  }
  return names;
}

/** Whether a RUN runs any of `programs` (base names). */
export function runsAny(run: RunScript, programs: Iterable<string>): boolean {
  const names = run.commandNames;
  for (const program of programs) if (names.has(program)) return true;
  return false;
}

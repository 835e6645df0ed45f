/**
 * The programs a RUN runs, by base name (`/usr/bin/sudo` is `sudo`), over all its scripts. Several rules look for one
 * program (`sudo`, `useradd`, `wget`/`curl`, an install tool) and most RUNs run none of them: one set per RUN answers
 * them all without each rule walking every command again.
 */
import { basename } from '../../shell/commands.js';
import type { RunScript } from './scripts.js';

let lastRun: RunScript | undefined;
let lastNames: ReadonlySet<string> | undefined;

/**
 * The base names of the static command names of a RUN's scripts. The rules of one lint run visit a RUN one after the
 * other, so the last RUN's set is kept (one entry, not a map: nothing outlives the next RUN).
 */
export function commandNames(run: RunScript): ReadonlySet<string> {
  if (run === lastRun) return lastNames!;
  const names = new Set<string>();
  for (const located of run.scripts) {
    for (const command of located.script.commands) if (command.name !== undefined) names.add(basename(command.name));
  }
  lastRun = run;
  lastNames = names;
  return names;
}

/** Whether a RUN runs any of `programs` (base names). */
export function runsAny(run: RunScript, programs: Iterable<string>): boolean {
  const names = commandNames(run);
  for (const program of programs) if (names.has(program)) return true;
  return false;
}

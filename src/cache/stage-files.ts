/**
 * What a stage leaves at a path, as far as that is knowable before building. BuildKit keys `COPY --from=<stage>` and
 * `RUN --mount=type=bind,from=<stage>` by the content checksum of the selected path in that stage's output
 * (buildkit-semantics B7), so a stage that runs again but leaves identical bytes there keeps the reader CACHED.
 *
 * The content at a path is a function of the stage's last *opaque* step — its base image, or a RUN, which may write
 * anywhere and whose output is known only through its own cache key (a CACHED RUN reuses the bytes of its record) —
 * and of the COPY/ADD/WORKDIR steps after it whose destination overlaps the path; steps that write elsewhere cannot
 * change it. Paths are compared as written: a symlink in the base image that aliases the read path to another
 * written path (say `/bin` → `/usr/bin`) is not seen. Pure.
 */
import { digest } from './digest.js';

export interface FileWrite {
  line: number;
  stageLabel: string;
  /** The instruction text, for reasons. */
  text: string;
  /** opaque: FROM or RUN; copy: COPY/ADD; mkdir: WORKDIR. */
  kind: 'opaque' | 'copy' | 'mkdir';
  /** opaque: the step's full key; copy/mkdir: digest of op and content inputs (not the parent). */
  identity: string;
  /** The step's kind as written (FROM, RUN, COPY…), for reasons. */
  step: string;
  /** copy/mkdir: the cleaned absolute destination. */
  dest?: string;
  /** copy: digest of the op alone, to tell a change of copied content from a change of the instruction. */
  op?: string;
  /**
   * copy: a change of its inputs may not reach the written files — `--chmod` overrides mode-only changes, a remote ADD
   * or a copy from another stage has content known only at build time.
   */
  uncertain?: boolean;
  /** FROM scratch: an empty filesystem, the same everywhere. */
  empty?: boolean;
}

export interface StageRead {
  /** The input label of the reading step (source path or `mount /target`). */
  label: string;
  stageLabel: string;
  /** The cleaned absolute path read (for a wildcard, the directory holding the matches). */
  path: string;
  /** The selection is exactly `path` (no wildcard, `--exclude` or `--parents` filtering what is read). */
  exact: boolean;
  /** The last opaque step of the stage's chain. */
  base: FileWrite;
  /** COPY/ADD/WORKDIR steps after `base` that may change `path`, in build order. */
  writers: FileWrite[];
  /** Equal identities ⇒ byte-identical content at `path` (the read's cache input). */
  identity: string;
}

/** `a` is `b` or a directory above it. */
export function within(a: string, b: string): boolean {
  return a === b || a === '/' || b.startsWith(`${a}/`);
}

/** Whether a write may change what `path` holds: a mkdir only by creating `path` or something under it. */
export function overlaps(path: string, write: FileWrite): boolean {
  if (write.kind === 'opaque' || write.dest === undefined) return true;
  return within(path, write.dest) || (write.kind === 'copy' && within(write.dest, path));
}

/** The read of `path` from a stage whose writes so far are `log` (oldest first, starting with its base). */
export function readOf(log: readonly FileWrite[], label: string, stageLabel: string, path: string, exact: boolean): StageRead {
  let last = 0;
  for (let i = 0; i < log.length; i++) if (log[i].kind === 'opaque') last = i;
  const base = log[last];
  const writers = log.slice(last + 1).filter((write) => overlaps(path, write));
  const identity = digest(['stage-read', base.identity, path, writers.map((w) => w.identity)]);
  return { label, stageLabel, path, exact, base, writers, identity };
}

/**
 * A read whose identity no earlier build had: `rebuilt` when the content provably differs from the reference build's
 * read (the same writers, and only the copied content of writers inside `path` changed, none overwritten later),
 * else `unknown` — the bytes depend on what a command outputs, or on more than the Dockerfile and context show.
 */
export function explainNewRead(
  read: StageRead,
  reference: StageRead | undefined,
  seen: (key: string) => boolean,
): { status: 'rebuilt' | 'unknown'; reason: string; line: number } {
  const where = `${read.path} from stage ${read.stageLabel}`;
  const unknown = (why: string, line: number) => ({
    status: 'unknown' as const,
    reason: `${why}: whether ${where} is byte-identical is known only after building`,
    line,
  });
  const base = read.base;
  if (!base.empty && !seen(base.identity)) {
    return base.step === 'FROM'
      ? unknown(`the base image of stage ${read.stageLabel} changed`, base.line)
      : unknown(`${base.text} (line ${base.line}) runs again`, base.line);
  }
  const vague = unknown(`stage ${read.stageLabel} changed what it writes there`, base.line);
  if (!reference || reference.base.identity !== base.identity || reference.writers.length !== read.writers.length) return vague;
  const changed: FileWrite[] = [];
  for (let i = 0; i < read.writers.length; i++) {
    const write = read.writers[i];
    const before = reference.writers[i];
    if (write.dest !== before.dest || write.kind !== before.kind) return vague;
    if (write.identity === before.identity) continue;
    const later = read.writers.slice(i + 1);
    const provable =
      read.exact &&
      write.kind === 'copy' &&
      write.op === before.op &&
      !write.uncertain &&
      !before.uncertain &&
      write.dest !== undefined &&
      within(read.path, write.dest) &&
      !later.some(
        (next) => next.dest !== undefined && (within(next.dest, write.dest as string) || within(write.dest as string, next.dest)),
      );
    if (!provable) return unknown(`${write.text} (line ${write.line}) changed`, write.line);
    changed.push(write);
  }
  if (changed.length === 0) return vague;
  const first = changed[0];
  return {
    status: 'rebuilt',
    reason: `${where} changed: its content comes from ${first.text} (line ${first.line}), whose files changed`,
    line: first.line,
  };
}

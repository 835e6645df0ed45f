/**
 * Look-alikes of the ASCII hyphen-minus that word processors and web pages put into copied commands. A word that
 * starts with a run of dashes containing one of them was meant to be a flag, but no program reads it as one.
 */
export const LOOKALIKE_DASHES: ReadonlyMap<string, string> = new Map([
  ['\u2010', 'hyphen'],
  ['\u2011', 'non-breaking hyphen'],
  ['\u2012', 'figure dash'],
  ['\u2013', 'en dash'],
  ['\u2014', 'em dash'],
  ['\u2015', 'horizontal bar'],
  ['\u2212', 'minus sign'],
  ['\uFE58', 'small em dash'],
  ['\uFE63', 'small hyphen-minus'],
  ['\uFF0D', 'fullwidth hyphen-minus'],
]);

export interface MistypedFlag {
  /** The leading run of dashes as written (`-–`). */
  dashes: string;
  /** The look-alikes in it, by name (`en dash`). */
  lookalikes: string[];
  /** The word with its dashes replaced by the flag that was meant (`--no-install-recommends`). */
  corrected: string;
  /**
   * Whether `corrected` is certainly what was meant: two dash characters, or one before a single letter. One en or
   * em dash before a longer name is probably a typeset `--`, but could be a mistyped `-rf`.
   */
  certain: boolean;
}

/** Typesetting (smart quotes in blogs and word processors) turns `--` into one of these. */
const typesetDoubleDash = new Set(['\u2013', '\u2014']);

/**
 * If `word` (a shell word as written, unquoted) is a flag typed with look-alike dashes, say what was meant: two
 * dash characters become `--`; a single en or em dash becomes `--` before a name of two or more characters (a
 * typeset `--`), any other single look-alike `-`. The name must start with a letter or digit, so prose such as
 * `— x` or a lone `–` is not a flag.
 */
export function mistypedFlag(word: string): MistypedFlag | undefined {
  let end = 0;
  while (end < word.length && (word[end] === '-' || LOOKALIKE_DASHES.has(word[end]))) end++;
  const dashes = word.slice(0, end);
  const lookalikes = [...dashes].filter((c) => c !== '-').map((c) => LOOKALIKE_DASHES.get(c)!);
  if (lookalikes.length === 0 || end > 2) return undefined;
  const name = word.slice(end);
  if (!/^[A-Za-z0-9]/.test(name)) return undefined;
  const flagName = /^[A-Za-z0-9][\w.-]*/.exec(name)![0];
  const long = end === 2 || (flagName.length > 1 && typesetDoubleDash.has(dashes));
  return { dashes, lookalikes, corrected: (long ? '--' : '-') + name, certain: end === 2 || flagName.length === 1 };
}

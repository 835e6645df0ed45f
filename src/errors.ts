/**
 * The typed errors that cross stage boundaries. Only src/cli turns them into exit codes:
 * FindingsError → 1, UsageError and InputError → 2, anything else is a bug (exit 70 with a report hint).
 */

/** A source position: 1-based line and column (column counts UTF-16 code units, as editors do). */
export interface Position {
  line: number;
  column: number;
}

/** Wrong command-line usage (unknown flag, missing argument). Exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Input that cannot be processed (unreadable file, malformed archive, bad config). Exit code 2. */
export class InputError extends Error {
  override name = 'InputError';
  constructor(
    message: string,
    readonly file?: string,
    readonly position?: Position,
  ) {
    super(message);
  }
  /** `FILE:LINE:COL: message`, the form editors and CI annotate from. */
  describe(): string {
    const where = this.file ? (this.position ? `${this.file}:${this.position.line}:${this.position.column}` : this.file) : '';
    return where ? `${where}: ${this.message}` : this.message;
  }
}

/** Findings at or above the failure threshold, or a failed CI gate. Exit code 1; the report was already printed. */
export class FindingsError extends Error {
  override name = 'FindingsError';
}

/**
 * Is a RUN heredoc's body shell? BuildKit (dockerfile2llb, dispatchRun) runs `RUN <<EOF` — a command line that is
 * only the heredoc — as a script: with the RUN's shell, or, when the body starts with `#!`, as an executable file
 * run by that interpreter. Any other command line (`RUN python3 <<EOF`, `RUN <<EOF bash -ex`, `RUN cat <<EOF > f`)
 * is handed whole to the shell, which feeds the body to the command's stdin: it is a script only when that command
 * is itself a shell reading its script from stdin.
 */
import { analyzeScript, basename, isPosixShell } from './commands.js';

export type HeredocRole =
  /** The body is a shell script: `shell` runs it (`default` = the RUN's SHELL). */
  | { kind: 'script'; shell: string }
  /** The body is a program for another interpreter (python3, node, perl, a non-shell `#!`). */
  | { kind: 'program'; interpreter: string }
  /** The body is data read by an ordinary command (`cat > file`, `tee`, `patch`). */
  | { kind: 'data'; command: string | undefined };

const interpreters =
  /^(python[\d.]*|pypy[\d.]*|node(js)?|deno|bun|perl[\d.]*|ruby[\d.]*|php[\d.]*|lua[\d.]*|Rscript|R|tclsh|awk|gawk|psql|mysql|sqlite3|pwsh|powershell)$/;

/**
 * `commandLine`: the RUN's text on the instruction line, heredoc markers included (`<<EOF python3`, `bash <<-EOT`).
 * `name`: which heredoc (default: the first). `body`: its content, to read a `#!` line.
 */
export function heredocRole(commandLine: string, options: { name?: string; body?: string; shell?: string[] } = {}): HeredocRole {
  const line = commandLine.trim();
  if (/^\d*<<-?\s*(["']?)[^\s'"<>|&;]+\1$/.test(line)) {
    const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(options.body ?? '');
    if (!shebang) return { kind: 'script', shell: 'default' };
    const program = basename(shebang[1]) === 'env' && shebang[2] ? shebang[2] : basename(shebang[1]);
    return isPosixShell([program]) ? { kind: 'script', shell: program } : { kind: 'program', interpreter: program };
  }
  // Only which command reads which heredoc matters here, not the bodies. tree-sitter-bash mis-parses a heredoc before
  // the command name and two heredocs on one line, so each `<<NAME` becomes an equivalent stdin redirect first.
  const marked = line.replace(/<<-?\s*(["']?)([^\s'"<>|&;]+)\1/g, (_, _q, name) => `</dev/heredoc/${name}`);
  const script = analyzeScript(marked, { shell: options.shell });
  const reader = script.commands.find((c) =>
    c.redirects.some((r) => {
      const target = r.op === '<' ? r.target?.value : undefined;
      return target?.startsWith('/dev/heredoc/') && (options.name === undefined || target === `/dev/heredoc/${options.name}`);
    }),
  );
  const name = reader?.name;
  if (name === undefined) return { kind: 'data', command: undefined };
  const program = basename(name);
  if (isPosixShell([program])) {
    // `bash -c '…' <<EOF` or `sh script.sh <<EOF` read their script elsewhere; the body is then their stdin data.
    return readsStdin(reader!.argv.slice(1).map((w) => w.value))
      ? { kind: 'script', shell: program }
      : { kind: 'data', command: program };
  }
  if (interpreters.test(program)) return { kind: 'program', interpreter: program };
  return { kind: 'data', command: program };
}

/** A shell reads its script from stdin unless given `-c` or a script file; `-s` forces stdin. */
function readsStdin(args: (string | undefined)[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === undefined) return false;
    if (arg === '--') return args.length === i + 1;
    if (!/^[-+]/.test(arg)) return false; // a script file
    if (/^-\w*s/.test(arg)) return true;
    if (/^-\w*c/.test(arg)) return false;
    if (/^[-+]\w*o$/.test(arg)) i++; // `-o pipefail`
  }
  return true;
}

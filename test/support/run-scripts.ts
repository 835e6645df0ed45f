/**
 * The shell-form RUN scripts of the shared corpus, extracted roughly (join `\` or `` ` `` continuations, drop comment
 * lines inside them, skip JSON and heredoc forms, strip `--mount=…` style flags) — enough to exercise the shell
 * stage on real-world text without depending on the Dockerfile parser. Read in place; never copied.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface CorpusRun {
  file: string;
  line: number;
  script: string;
}

/** Every Dockerfile of a corpus folder, sorted (its README.md and SOURCES.tsv skipped). */
export function corpusFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) corpusFiles(path, out);
    else if (!/\.(tsv|md)$/.test(name)) out.push(path);
  }
  return out;
}

export function corpusRuns(corpusDir: string): CorpusRun[] {
  const runs: CorpusRun[] = [];
  for (const file of corpusFiles(corpusDir)) {
    const text = readFileSync(file, 'utf8');
    const continuation = /^#\s*escape\s*=\s*`/im.test(text.split('\n').slice(0, 5).join('\n')) ? '`' : '\\';
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      const start = i;
      const m = /^\s*RUN\s+(.*)$/i.exec(lines[i]);
      if (!m) continue;
      const parts = [m[1]];
      while (parts[parts.length - 1].trimEnd().endsWith(continuation) && i + 1 < lines.length) {
        const last = parts[parts.length - 1].trimEnd();
        parts[parts.length - 1] = last.slice(0, -1);
        i++;
        while (i < lines.length && /^\s*(#.*)?$/.test(lines[i])) i++;
        parts.push(lines[i] ?? '');
      }
      let script = parts.join(' ');
      while (/^\s*--\S+/.test(script)) script = script.replace(/^\s*--\S+/, '');
      script = script.trim();
      if (script && !script.startsWith('[') && !script.startsWith('<<'))
        runs.push({ file: file.slice(corpusDir.length + 1), line: start + 1, script });
    }
  }
  return runs;
}

/**
 * `--progress=plain`: BuildKit's text progress. Vertices interleave; every line of vertex N starts with `#N `:
 * the first one is its name, then `#N CACHED`, `#N DONE 1.7s`, `#N ERROR: …`, `#N CANCELED`, log lines
 * `#N 0.695 text` (seconds since the vertex started) and status lines (`#N transferring context: 2B done`). When
 * output of several vertices interleaves, BuildKit repeats a vertex's name line before continuing it. Lines that do
 * not start with `#N ` are the builder's own error summary (`------`, `Dockerfile:14`, `ERROR: failed to build: …`).
 */
import { newVertex, type Progress, type Vertex } from './vertex.js';

const vertexLine = /^#(\d+) (.*)$/;
const done = /^DONE (\d+(?:\.\d+)?)s$/;
const logLine = /^\d+\.\d+ ([\s\S]*)$/;

export class PlainProgressReader {
  readonly #vertices = new Map<string, Vertex>();
  #trailer = '';
  #partial = '';

  constructor(private readonly onUpdate?: (vertex: Vertex, event: 'start' | 'log' | 'done', log?: string) => void) {}

  push(chunk: string): void {
    const lines = (this.#partial + chunk).split('\n');
    this.#partial = lines.pop() ?? '';
    for (const line of lines) this.#line(line.replace(/\r$/, ''));
  }

  end(): Progress {
    if (this.#partial) this.#line(this.#partial);
    this.#partial = '';
    return { vertices: [...this.#vertices.values()], trailer: this.#trailer };
  }

  #line(line: string): void {
    const match = vertexLine.exec(line);
    if (!match) {
      if (line.trim() || this.#trailer) this.#trailer += `${line}\n`;
      return;
    }
    const id = `#${match[1]}`;
    const rest = match[2];
    const vertex = this.#vertices.get(id);
    if (!vertex) {
      const created = newVertex(id, rest);
      this.#vertices.set(id, created);
      this.onUpdate?.(created, 'start');
      return;
    }
    if (rest === vertex.name) return; // repeated header after interleaved output
    if (rest === 'CACHED') {
      vertex.cached = true;
      this.onUpdate?.(vertex, 'done');
      return;
    }
    const finished = done.exec(rest);
    if (finished) {
      vertex.durationMs = Math.round(Number(finished[1]) * 1000);
      this.onUpdate?.(vertex, 'done');
      return;
    }
    if (rest.startsWith('ERROR: ')) {
      vertex.error = rest.slice('ERROR: '.length);
      this.onUpdate?.(vertex, 'done');
      return;
    }
    const log = logLine.exec(rest);
    if (log) {
      vertex.log += `${log[1]}\n`;
      this.onUpdate?.(vertex, 'log', `${log[1]}\n`);
    }
  }
}

/** Reads a whole captured plain stream. */
export function parsePlainProgress(text: string): Progress {
  const reader = new PlainProgressReader();
  reader.push(text);
  return reader.end();
}

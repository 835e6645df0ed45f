/**
 * `--progress=rawjson`: BuildKit's SolveStatus objects (`{"vertexes":[…],"statuses":[…],"logs":[…],"warnings":[…]}`)
 * written back to back. buildx writes one object per line today, older versions indent them over many lines, and the
 * final error summary is plain text after the last object — so this reads a character stream, splitting balanced
 * top-level JSON objects (string- and escape-aware; an object starts a line) from the text around them, chunk by chunk as the build runs.
 */
import { newVertex, type Progress, type Vertex } from './vertex.js';

interface RawVertex {
  digest: string;
  name?: string;
  cached?: boolean;
  started?: string;
  completed?: string;
  error?: string;
}

interface RawLog {
  vertex: string;
  data?: string;
}

interface SolveStatus {
  vertexes?: RawVertex[];
  logs?: RawLog[];
}

/** Splits a character stream into top-level JSON objects and the text between them. */
export class JsonObjectStream {
  #depth = 0;
  #inString = false;
  #escaped = false;
  #object = '';
  #text = '';

  constructor(
    private readonly onObject: (json: string) => void,
    private readonly onText: (text: string) => void,
  ) {}

  push(chunk: string): void {
    for (const char of chunk) {
      if (this.#depth === 0) {
        // An object starts a line; a brace inside the builder's text (`ERROR: … {…}`) is text.
        if (char === '{' && this.#text.trim() === '') {
          this.#flushText();
          this.#depth = 1;
          this.#object = char;
        } else {
          this.#text += char;
          if (char === '\n') this.#flushText();
        }
        continue;
      }
      this.#object += char;
      if (this.#inString) {
        if (this.#escaped) this.#escaped = false;
        else if (char === '\\') this.#escaped = true;
        else if (char === '"') this.#inString = false;
      } else if (char === '"') this.#inString = true;
      else if (char === '{') this.#depth++;
      else if (char === '}' && --this.#depth === 0) {
        this.onObject(this.#object);
        this.#object = '';
      }
    }
  }

  /** End of stream: an unfinished object is reported as text (it is not valid JSON). */
  end(): void {
    this.#text += this.#object;
    this.#object = '';
    this.#depth = 0;
    this.#flushText();
  }

  #flushText(): void {
    if (this.#text) this.onText(this.#text);
    this.#text = '';
  }
}

/** Accumulates vertices from rawjson as it arrives; `onUpdate` sees each vertex change (for live progress). */
export class RawJsonProgressReader {
  readonly #vertices = new Map<string, Vertex>();
  #trailer = '';
  readonly #stream: JsonObjectStream;

  constructor(private readonly onUpdate?: (vertex: Vertex, event: 'start' | 'log' | 'done', log?: string) => void) {
    this.#stream = new JsonObjectStream(
      (json) => this.#object(json),
      (text) => {
        if (text.trim()) this.#trailer += text;
      },
    );
  }

  push(chunk: string): void {
    this.#stream.push(chunk);
  }

  /** The text seen so far outside the JSON objects. */
  get trailer(): string {
    return this.#trailer;
  }

  end(): Progress {
    this.#stream.end();
    return { vertices: [...this.#vertices.values()], trailer: this.#trailer };
  }

  #object(json: string): void {
    let status: SolveStatus;
    try {
      status = JSON.parse(json) as SolveStatus;
    } catch {
      this.#trailer += json;
      return;
    }
    for (const raw of status.vertexes ?? []) this.#vertex(raw);
    for (const log of status.logs ?? []) {
      const vertex = this.#vertices.get(log.vertex);
      if (!vertex || !log.data) continue;
      const text = Buffer.from(log.data, 'base64').toString('utf8');
      vertex.log += text;
      this.onUpdate?.(vertex, 'log', text);
    }
  }

  #vertex(raw: RawVertex): void {
    let vertex = this.#vertices.get(raw.digest);
    if (!vertex) {
      vertex = newVertex(raw.digest, raw.name ?? '');
      this.#vertices.set(raw.digest, vertex);
    }
    // The same vertex can run more than once (e.g. `load build definition`): keep the first start and last end.
    const started = raw.started ? Date.parse(raw.started) : undefined;
    if (started !== undefined && (vertex.started === undefined || started < vertex.started)) {
      vertex.started = started;
      if (!raw.completed) this.onUpdate?.(vertex, 'start');
    }
    if (raw.cached) vertex.cached = true;
    if (raw.error) vertex.error = raw.error;
    if (raw.completed) {
      vertex.completed = Math.max(vertex.completed ?? 0, Date.parse(raw.completed));
      if (vertex.started !== undefined) vertex.durationMs = vertex.completed - vertex.started;
      this.onUpdate?.(vertex, 'done');
    }
  }
}

/** Reads a whole captured rawjson stream. */
export function parseRawJsonProgress(text: string): Progress {
  const reader = new RawJsonProgressReader();
  reader.push(text);
  return reader.end();
}

/**
 * What both progress formats (rawjson and plain) tell us about one BuildKit vertex, and how a vertex name such as
 * `[base 2/4] WORKDIR /app` or `[linux/amd64 stage-1  3/12] RUN make` splits into its parts.
 */

export interface Vertex {
  /** The vertex digest (rawjson) or `#N` (plain): unique within one build. */
  id: string;
  /** The full name BuildKit prints, e.g. `[base 2/4] WORKDIR /app` or `[internal] load build context`. */
  name: string;
  /** Parsed `[stage i/N]` label, when the name carries one (Dockerfile steps do; internal vertices do not). */
  label?: StepLabel;
  /** The text after the label: the instruction as BuildKit shows it (env-expanded for RUN). */
  text: string;
  cached: boolean;
  /** Epoch milliseconds (rawjson only). */
  started?: number;
  completed?: number;
  /** Measured duration: completed − started (rawjson) or the `DONE 1.2s` figure (plain). */
  durationMs?: number;
  /** BuildKit's error for this vertex. */
  error?: string;
  /** The step's own output (RUN stdout/stderr), as printed. */
  log: string;
}

export interface StepLabel {
  /** The stage name (`base`, `stage-1`), absent for a single unnamed stage. */
  stage?: string;
  /** `linux/amd64` (and `->arm64` target forms) when BuildKit prefixes the platform. */
  platform?: string;
  /** 1-based position among the stage's numbered steps. */
  index: number;
  total: number;
}

const labelled = /^\[([^\]]*\d+\/\d+)\] ([\s\S]*)$/;

/** Splits `[stage i/N] TEXT`; names without a step label (`[internal] …`, `exporting to image`) have none. */
export function parseVertexName(name: string): { label?: StepLabel; text: string } {
  const match = labelled.exec(name);
  if (!match) return { text: name };
  const words = match[1].trim().split(/\s+/);
  const [index, total] = words.pop()!.split('/').map(Number);
  const label: StepLabel = { index, total };
  for (const word of words) {
    // Stage names cannot contain a slash; platforms always do.
    if (word.includes('/')) label.platform = word;
    else label.stage = word;
  }
  return { label, text: match[2] };
}

/** Builds a vertex record as both parsers first see it. */
export function newVertex(id: string, name: string): Vertex {
  const { label, text } = parseVertexName(name);
  return { id, name, ...(label ? { label } : {}), text, cached: false, log: '' };
}

/** The result of reading one build's progress stream. */
export interface Progress {
  /** In order of first appearance. */
  vertices: Vertex[];
  /** Text outside the progress records: the builder's own summary of an error (`Dockerfile:14 … ERROR: …`). */
  trailer: string;
}

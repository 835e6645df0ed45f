/**
 * Maps progress vertices to Dockerfile steps by their `[stage i/N]` label and instruction text — never by print
 * order (BuildKit prints steps out of order and in parallel). A vertex's stage label names the stage (`base`,
 * `stage-1`, or none for a single unnamed stage); its `i` is the step's number within the stage (outline.ts); the
 * text must start with the step's keyword (the rest may differ: BuildKit expands variables in RUN names).
 */
import { type OutlineStage, type OutlineStep, stageLabel } from './outline.js';
import type { Vertex } from './vertex.js';

export interface StepResult {
  /** The stage's name as BuildKit labels it (`base`, `stage-1`), or `stage-K` for a single unnamed stage. */
  stage: string;
  stageIndex: number;
  /** 1-based Dockerfile line where the instruction starts, and where it ends. */
  line: number;
  endLine: number;
  /** The instruction as written (continuations joined), e.g. `RUN apt-get update && apt-get install -y curl`. */
  instruction: string;
  /** The vertex name BuildKit printed, e.g. `[base 3/4] RUN …`. */
  vertex: string;
  /** `i` of `[stage i/N]`. */
  number: number;
  cached: boolean;
  /** Whether the step ran to completion in this build (false: not reached, cancelled or failed). */
  completed: boolean;
  durationMs?: number;
  error?: string;
}

export interface StepMapping {
  steps: StepResult[];
  /** Labelled vertices that matched no Dockerfile step (reported, never silently dropped). */
  unmatched: Vertex[];
}

export function mapVerticesToSteps(stages: OutlineStage[], vertices: Vertex[]): StepMapping {
  const byLabel = new Map<string, { stage: OutlineStage; step: OutlineStep }>();
  for (const stage of stages) {
    const label = stageLabel(stages, stage) ?? '';
    for (const step of stage.steps) if (step.number !== undefined) byLabel.set(`${label}\0${step.number}`, { stage, step });
  }
  const steps: StepResult[] = [];
  const unmatched: Vertex[] = [];
  const seen = new Set<OutlineStep>();
  const all = [...byLabel.values()];
  const byText = (vertex: Vertex) =>
    all.find(({ step }) => !seen.has(step) && sameInstruction(step.text, vertex.text)) ?? undefined;
  const pending: Vertex[] = [];
  for (const vertex of vertices) {
    if (!vertex.label) continue;
    const found = byLabel.get(`${vertex.label.stage ?? ''}\0${vertex.label.index}`);
    const keyword = vertex.text.split(/\s+/, 1)[0].toUpperCase();
    if (!found || found.step.keyword !== keyword || seen.has(found.step)) pending.push(vertex);
    else add(vertex, found);
  }
  // A vertex shared with a concurrent build on the same engine carries the label that build gave it (BuildKit
  // names a shared vertex once): match those by their instruction text instead.
  // The same vertex may also be printed twice, under our label and under the other build's: that second name is an
  // alias of a step already matched, not an unmatched vertex.
  for (const vertex of pending) {
    const found = byText(vertex);
    if (found) add(vertex, found);
    else if (!all.some(({ step }) => seen.has(step) && sameInstruction(step.text, vertex.text))) unmatched.push(vertex);
  }
  steps.sort((a, b) => a.line - b.line);
  return { steps, unmatched };

  function add(vertex: Vertex, found: { stage: OutlineStage; step: OutlineStep }): void {
    seen.add(found.step);
    const label = stageLabel(stages, found.stage);
    steps.push({
      stage: label ?? `stage-${found.stage.index}`,
      stageIndex: found.stage.index,
      line: found.step.line,
      endLine: found.step.endLine,
      instruction: found.step.text,
      vertex: vertex.name,
      number: found.step.number!,
      cached: vertex.cached,
      completed: !vertex.error && (vertex.completed !== undefined || vertex.durationMs !== undefined || vertex.cached),
      ...(vertex.durationMs !== undefined ? { durationMs: vertex.durationMs } : {}),
      ...(vertex.error ? { error: vertex.error } : {}),
    });
  }
}

/** The same instruction, up to blanks and (for FROM) Docker's reference normalisation (`docker.io/library/`). */
function sameInstruction(written: string, shown: string): boolean {
  const words = (text: string) => text.trim().split(/\s+/);
  const [a, b] = [words(written), words(shown)];
  if (a[0].toUpperCase() !== b[0].toUpperCase()) return false;
  if (a[0].toUpperCase() === 'FROM') {
    const image = a.slice(1).find((word) => !word.startsWith('--')) ?? '';
    return normaliseReference(image) === normaliseReference(b[b.length - 1]);
  }
  return a.slice(1).join(' ') === b.slice(1).join(' ');
}

function normaliseReference(reference: string): string {
  let ref = reference.replace(/^docker\.io\//, '').replace(/^library\//, '');
  if (!/[:@][^/]*$/.test(ref)) ref += ':latest';
  return ref;
}

/**
 * Maps progress vertices to Dockerfile steps by their `[stage i/N]` label and instruction text — never by print
 * order (BuildKit prints steps out of order and in parallel). A vertex's stage label names the stage (`base`,
 * `stage-1`, or none for a single unnamed stage); its `i` is the step's number within the stage (outline.ts); the
 * text must start with the step's keyword (the rest may differ: BuildKit expands variables in RUN names).
 *
 * `COPY --link`/`ADD --link` on the containerd image store is two vertices under one label: the copy onto an empty
 * layer (`[3/4] COPY --link a /a`) and the merge onto the image so far (`[3/4] LINK COPY --link a /a`). The step is
 * CACHED only when both are (plain progress prints the pair as one step); the copy half's own outcome is kept in
 * `linkCopyCached`, because after a change above it the copy alone stays cached.
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
  /** `--link` on the containerd image store: whether the copy onto an empty layer was CACHED (`cached` = both halves). */
  linkCopyCached?: boolean;
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
  const seen = new Map<OutlineStep, StepResult>();
  const all = [...byLabel.values()];
  const byText = (vertex: Vertex) =>
    all.find(({ step }) => !seen.has(step) && sameInstruction(step.text, vertex.text)) ?? undefined;
  const pending: Vertex[] = [];
  const merges: Vertex[] = [];
  for (const vertex of vertices) {
    if (!vertex.label) continue;
    if (/^LINK (COPY|ADD)\s/.test(vertex.text)) {
      merges.push(vertex);
      continue;
    }
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
  for (const merge of merges) {
    const text = merge.text.slice('LINK '.length);
    const found = byLabel.get(`${merge.label?.stage ?? ''}\0${merge.label?.index}`);
    const step =
      found && sameInstruction(found.step.text, text)
        ? seen.get(found.step)
        : [...seen].find(([outline, result]) => result.linkCopyCached === undefined && sameInstruction(outline.text, text))?.[1];
    if (step) foldMerge(step, merge);
    // (an alias of a merge already folded, printed under a concurrent build's label, is not unmatched)
    else if (![...seen.keys()].some((outline) => sameInstruction(outline.text, text))) unmatched.push(merge);
  }
  steps.sort((a, b) => a.line - b.line);
  return { steps, unmatched };

  function add(vertex: Vertex, found: { stage: OutlineStage; step: OutlineStep }): void {
    const label = stageLabel(stages, found.stage);
    const result: StepResult = {
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
    };
    seen.set(found.step, result);
    steps.push(result);
  }
}

/** Folds the merge half of a `--link` step into the step its copy half made (see the top of this file). */
function foldMerge(step: StepResult, merge: Vertex): void {
  step.linkCopyCached = step.cached;
  step.cached = step.cached && merge.cached;
  step.completed =
    step.completed && !merge.error && (merge.completed !== undefined || merge.durationMs !== undefined || merge.cached);
  if (merge.durationMs !== undefined) step.durationMs = (step.durationMs ?? 0) + merge.durationMs;
  if (merge.error) step.error = merge.error;
}

/** The same instruction, up to blanks and (for FROM) Docker's reference normalisation (`docker.io/library/`). */
function sameInstruction(written: string, shown: string): boolean {
  const words = (text: string) => text.trim().split(/\s+/);
  const [a, b] = [words(written), words(shown)];
  if (a[0].toUpperCase() !== b[0].toUpperCase()) return false;
  if (a[0].toUpperCase() === 'FROM') {
    const image = a.slice(1).find((word) => !word.startsWith('--')) ?? '';
    // BuildKit names the base by the digest it resolved (`…:bookworm@sha256:…`), which the Dockerfile rarely writes.
    let shown = b[b.length - 1];
    if (!image.includes('@')) shown = shown.replace(/@[^/]*$/, '');
    return normaliseReference(image) === normaliseReference(shown);
  }
  return a.slice(1).join(' ') === b.slice(1).join(' ');
}

function normaliseReference(reference: string): string {
  let ref = reference.replace(/^docker\.io\//, '').replace(/^library\//, '');
  if (!/[:@][^/]*$/.test(ref)) ref += ':latest';
  return ref;
}

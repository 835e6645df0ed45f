/**
 * The build driver's view of a Dockerfile: stages, and in each the steps BuildKit numbers `[stage i/N]` — the base
 * image (FROM an image, not `scratch` and not another stage) and every RUN, COPY, ADD and WORKDIR — with the lines
 * each spans. Verified against real builds (Docker 28.5): `FROM scratch` and `FROM <stage>` are not numbered;
 * unnamed stages of a multi-stage file are labelled `stage-K`; a single unnamed stage has no label unless a step uses
 * `RUN --mount` (then `stage-0`). Built on the BuildKit-exact parser of src/dockerfile.
 */
import { type Instruction, parseDockerfile } from '../dockerfile/index.js';

export interface OutlineStep {
  /** Upper-case instruction keyword. */
  keyword: string;
  /** 1-based first and last line of the instruction (heredoc bodies included). */
  line: number;
  endLine: number;
  /** BuildKit's `Original`: the logical line, continuations joined (`RUN a &&     b`). */
  text: string;
  /** 1-based `i` of BuildKit's `[stage i/N]`, for the steps it numbers. */
  number?: number;
}

export interface OutlineStage {
  index: number;
  /** `AS name`, lower-cased as BuildKit does. */
  name?: string;
  /** The FROM operand: an image reference, `scratch`, or another stage's name. */
  base: string;
  /** The stage this one builds on, when `base` names an earlier stage. */
  baseStage?: number;
  steps: OutlineStep[];
  /** How many steps BuildKit numbers in this stage (N of `i/N`). */
  total: number;
}

const numbered = new Set(['RUN', 'COPY', 'ADD', 'WORKDIR']);

/** Throws the parser's ParseError (with file:line:column) for a Dockerfile BuildKit would reject too. */
export function outlineDockerfile(source: string, file?: string): OutlineStage[] {
  const stages: OutlineStage[] = [];
  for (const instruction of parseDockerfile(source, file ? { file } : {}).instructions) {
    const step: OutlineStep = {
      keyword: instruction.name,
      line: instruction.range.start.line,
      endLine: lastLine(instruction),
      text: instruction.original,
    };
    if (step.keyword === 'FROM') stages.push(newStage(stages, instruction, step));
    else if (stages.length > 0) stages[stages.length - 1].steps.push(step);
  }
  for (const stage of stages) {
    let number = 0;
    for (const step of stage.steps) {
      if (step.keyword === 'FROM' ? stage.baseStage === undefined && stage.base !== 'scratch' : numbered.has(step.keyword)) {
        step.number = ++number;
      }
    }
    stage.total = number;
  }
  return stages;
}

function lastLine(instruction: Instruction): number {
  const last = instruction.lines[instruction.lines.length - 1];
  return last ? last.range.start.line : instruction.range.end.line;
}

function newStage(stages: OutlineStage[], from: Instruction, step: OutlineStep): OutlineStage {
  const operands = from.args.map((arg) => arg.value);
  const base = operands[0] ?? '';
  const name = operands.length >= 3 && operands[1].toLowerCase() === 'as' ? operands[2].toLowerCase() : undefined;
  const baseStage = stages.findIndex((stage) => stage.name !== undefined && stage.name === base.toLowerCase());
  return {
    index: stages.length,
    ...(name ? { name } : {}),
    base,
    ...(baseStage >= 0 ? { baseStage } : {}),
    steps: [step],
    total: 0,
  };
}

/** Which stages a build of `target` (default: the last stage) runs through, base first. */
export function stageChain(stages: OutlineStage[], target?: string): OutlineStage[] {
  let stage = target ? stages.find((s) => s.name === target.toLowerCase()) : stages[stages.length - 1];
  const chain: OutlineStage[] = [];
  while (stage) {
    chain.unshift(stage);
    stage = stage.baseStage !== undefined ? stages[stage.baseStage] : undefined;
  }
  return chain;
}

/** The label BuildKit gives a stage's steps: its name, else `stage-K` (multi-stage, or forced by `RUN --mount`). */
export function stageLabel(stages: OutlineStage[], stage: OutlineStage): string | undefined {
  if (stage.name) return stage.name;
  const forced = stages.length === 1 && stage.steps.some((step) => step.keyword === 'RUN' && /\s--mount[=\s]/.test(step.text));
  return stages.length > 1 || forced ? `stage-${stage.index}` : undefined;
}

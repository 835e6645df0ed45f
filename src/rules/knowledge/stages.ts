/**
 * The build model (src/model) as rules read it: which stage each instruction belongs to, what it is built FROM, the
 * state each step runs in, and whether its files end up in the final image. A stage whose files never reach the final
 * image (a builder used through `COPY --from`, or a stage nothing depends on) throws its layers away, so size findings
 * there save nothing. The model is built once per lint run (with its build args), in recover mode, so a file BuildKit
 * would refuse for one instruction is still judged on the rest.
 */
import type { Dockerfile, Instruction } from '../../dockerfile/ast.js';
import { type BuildModel, buildModel, type Stage as ModelStage, neededStages, type Step } from '../../model/index.js';

export interface Stage {
  index: number;
  /** Lower-cased `AS` name. */
  name?: string;
  from: Instruction;
  /** The FROM image after meta ARGs (and build args) are substituted, `scratch`, or the stage name it builds on. */
  image: string;
  /** The stage this one is built on, when FROM names an earlier stage. */
  parent?: Stage;
  instructions: Instruction[];
  /** The final image contains this stage's layers: it is the last stage or a FROM-ancestor of it. */
  inFinalImage: boolean;
  /** The last stage depends on it (FROM, COPY --from, RUN --mount from=), so a default build runs it. */
  reachable: boolean;
  model: ModelStage;
}

export interface Stages {
  model: BuildModel;
  stages: Stage[];
  /** The stage of every instruction (its FROM included). */
  owner: Map<Instruction, Stage>;
  /** The model's step for every RUN, COPY, ADD and WORKDIR. */
  steps: Map<Instruction, Step>;
}

/** The model step of an instruction (undefined for instructions that are not steps, or outside any stage). */
export function stepOf(stages: Stages, instruction: Instruction): Step | undefined {
  return stages.steps.get(instruction);
}

/** Whether the files an instruction writes end up in the final image (false in builder stages thrown away). */
export function shipsToFinalImage(stages: Stages, instruction: Instruction): boolean {
  return stages.owner.get(instruction)?.inFinalImage ?? true;
}

/**
 * The stages of a Dockerfile with the model and its steps, worked out with a lint run's build args. The lint engine
 * calls this once per run and hands the answer to every rule (`RuleContext.stages`): nothing is memoised here. A
 * module-level WeakMap keyed by the tree kept every linted file's tree and model alive across V8's young-generation
 * collections (2.2 MB promoted per scavenge over the corpus; GC was 15 % of lint's CPU).
 */
export function analyseStages(dockerfile: Dockerfile, buildArgs?: ReadonlyMap<string, string>): Stages {
  // Every stage is dispatched (each RUN gets its state); which ones a default build needs is asked of the model below.
  const model = buildModel(dockerfile, {
    recover: true,
    allStagesUpToTarget: true,
    buildArgs: buildArgs && buildArgs.size > 0 ? Object.fromEntries(buildArgs) : undefined,
  });
  const stages: Stage[] = [];
  const owner = new Map<Instruction, Stage>();
  const steps = new Map<Instruction, Step>();
  for (const source of model.stages) {
    const base = source.base;
    const stage: Stage = {
      index: source.index,
      name: source.name,
      from: source.from,
      image: base.kind === 'image' ? base.ref : base.kind === 'scratch' ? 'scratch' : (model.stages[base.stage].name ?? ''),
      parent: base.kind === 'stage' ? stages[base.stage] : undefined,
      instructions: source.instructions,
      inFinalImage: false,
      reachable: false,
      model: source,
    };
    stages.push(stage);
    owner.set(source.from, stage);
    for (const instruction of source.instructions) owner.set(instruction, stage);
    for (const step of source.steps) steps.set(step.instruction, step);
  }
  for (let stage = stages.at(-1); stage; stage = stage.parent) stage.inFinalImage = true;
  // The model dispatches every stage (allStagesUpToTarget); a default build needs only these.
  if (stages.length > 0) for (const i of neededStages(model.stages, model.target)) stages[i].reachable = true;
  return { model, stages, owner, steps };
}

/** The stage an instruction belongs to (its FROM included); undefined before the first FROM. */
export function stageOf(stages: Stages, instruction: Instruction): Stage | undefined {
  return stages.owner.get(instruction);
}

/** The image at the root of a stage's FROM chain (`debian:bookworm` for a stage built on a stage built on it). */
export function baseImage(stage: Stage): string {
  let root = stage;
  while (root.parent) root = root.parent;
  return root.image;
}

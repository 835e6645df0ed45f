/**
 * The stage structure rules need before src/model/ provides it: which stage each instruction belongs to, what it is
 * built FROM, and whether its files end up in the final image. A stage whose files never reach the final image (a
 * builder used through `COPY --from`, or a stage nothing depends on) throws its layers away, so size findings there
 * save nothing.
 */
import type { Dockerfile, Instruction } from '../../dockerfile/ast.js';

export interface Stage {
  index: number;
  /** Lower-cased `AS` name. */
  name?: string;
  from: Instruction;
  /** The FROM image as written (`debian:bookworm`, `$BASE`, or a stage name). */
  image: string;
  /** The stage this one is built on, when FROM names an earlier stage. */
  parent?: Stage;
  instructions: Instruction[];
  /** The final image contains this stage's layers: it is the last stage or a FROM-ancestor of it. */
  inFinalImage: boolean;
  /** The last stage depends on it (FROM, COPY --from, RUN --mount from=), so a default build runs it. */
  reachable: boolean;
}

function mountFrom(flag: string): string | undefined {
  const match = /(?:^|,)from=([^,]+)/.exec(flag);
  return match?.[1];
}

const memo = new WeakMap<Dockerfile, Stage[]>();

/** The stages of a Dockerfile, in order (computed once per tree). Instructions before the first FROM belong to none. */
export function stagesOf(dockerfile: Dockerfile): Stage[] {
  let stages = memo.get(dockerfile);
  if (!stages) {
    stages = computeStages(dockerfile);
    memo.set(dockerfile, stages);
  }
  return stages;
}

/** Whether the files an instruction writes end up in the final image (false in builder stages thrown away). */
export function shipsToFinalImage(dockerfile: Dockerfile, instruction: Instruction): boolean {
  const stages = stagesOf(dockerfile);
  return stageOf(stages, instruction)?.inFinalImage ?? true;
}

function computeStages(dockerfile: Dockerfile): Stage[] {
  const stages: Stage[] = [];
  const byName = new Map<string, Stage>();
  const lookup = (ref: string): Stage | undefined => {
    const lower = ref.toLowerCase();
    if (byName.has(lower)) return byName.get(lower);
    return /^\d+$/.test(ref) ? stages[Number(ref)] : undefined;
  };
  const deps = new Map<Stage, Set<Stage>>();
  for (const instruction of dockerfile.instructions) {
    if (instruction.name === 'FROM') {
      const words = instruction.args.map((a) => a.value);
      const image = words[0] ?? '';
      const name = words.length >= 3 && words[1].toLowerCase() === 'as' ? words[2].toLowerCase() : undefined;
      const stage: Stage = {
        index: stages.length,
        name,
        from: instruction,
        image,
        parent: lookup(image),
        instructions: [],
        inFinalImage: false,
        reachable: false,
      };
      deps.set(stage, new Set(stage.parent ? [stage.parent] : []));
      stages.push(stage);
      if (name) byName.set(name, stage);
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) continue;
    stage.instructions.push(instruction);
    for (const flag of instruction.flags) {
      const ref = flag.name === 'from' ? flag.value : flag.name === 'mount' ? mountFrom(flag.value ?? '') : undefined;
      const dep = ref === undefined ? undefined : lookup(ref);
      if (dep && dep !== stage) deps.get(stage)!.add(dep);
    }
  }
  const last = stages.at(-1);
  for (let stage = last; stage; stage = stage.parent) stage.inFinalImage = true;
  const visit = (stage: Stage): void => {
    if (stage.reachable) return;
    stage.reachable = true;
    for (const dep of deps.get(stage)!) visit(dep);
  };
  if (last) visit(last);
  return stages;
}

const owners = new WeakMap<Stage[], Map<Instruction, Stage>>();

/** The stage an instruction belongs to (its FROM included). */
export function stageOf(stages: Stage[], instruction: Instruction): Stage | undefined {
  let owner = owners.get(stages);
  if (!owner) {
    owner = new Map();
    for (const stage of stages) {
      owner.set(stage.from, stage);
      for (const member of stage.instructions) owner.set(member, stage);
    }
    owners.set(stages, owner);
  }
  return owner.get(instruction);
}

/** The image at the root of a stage's FROM chain (`debian:bookworm` for a stage built on a stage built on it). */
export function baseImage(stage: Stage): string {
  let root = stage;
  while (root.parent) root = root.parent;
  return root.image;
}

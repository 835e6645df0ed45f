/**
 * Cache keys of the classic (pre-BuildKit) builder: every instruction is a cached image step matched against the
 * children of the previous image by its full config, so any instruction change (LABEL and CMD included) misses, and
 * after the first miss every later step misses — there is no recovery through content. RUN is matched on its
 * command with the sorted `|N k=v` build args; COPY/ADD on their file checksums (mtime ignored). Pure.
 */
import type { Instruction } from '../dockerfile/ast.js';
import { instructionText } from '../model/build.js';
import { envMap } from '../model/env.js';
import { cleanPath } from '../model/paths.js';
import type { BuildModel, Stage, Step } from '../model/types.js';
import type { ContentTree } from './contenthash.js';
import { containsWildcards } from './go-path.js';
import { type BuildKeys, digest, type KeyOptions, type StepKey } from './keys.js';

/** Classic proxy args are excluded from the RUN cache command unless declared (the 8 names, no ALL_PROXY). */
export function classicRunCommand(step: Step): string {
  const env = envMap(step.state.env);
  const values = new Map<string, string>();
  for (const arg of step.state.args) {
    const value = env.get(arg.name) ?? arg.value;
    if (value !== undefined) values.set(arg.name, value);
  }
  const pairs = [...values].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}=${v}`);
  const args = step.run?.args ?? [];
  return [...(pairs.length ? [`|${pairs.length}`, ...pairs] : []), ...args].join(' ');
}

export function computeClassicKeys(model: BuildModel, context: ContentTree | undefined, options: KeyOptions = {}): BuildKeys {
  const stageOutputs: (string | undefined)[] = model.stages.map(() => undefined);
  const steps: StepKey[] = [];
  for (const stage of model.stages) {
    if (!stage.reachable) continue;
    let chain: string;
    if (stage.base.kind === 'stage') chain = stageOutputs[stage.base.stage] ?? digest(['missing', stage.base.stage]);
    else if (stage.base.kind === 'scratch') chain = digest(['scratch']);
    else {
      const ref = stage.base.ref;
      const changed = options.baseChanged?.includes(ref) ? (options.buildId ?? 'changed') : undefined;
      const info = stage.base.info;
      const op = info?.id ? { kind: 'image', id: info.id, changed } : { kind: 'image', ref, digest: info?.digest, changed };
      const key = digest(op);
      steps.push(keyOf(stage, stage.steps[0], undefined, op, {}, key));
      chain = key;
    }
    const stepByInstruction = new Map<Instruction, Step>(stage.steps.map((s) => [s.instruction, s]));
    stage.instructions.forEach((instruction, i) => {
      const step = stepByInstruction.get(instruction);
      const history = stage.history.find((h) => h.line === instruction.range.start.line);
      const op: Record<string, unknown> = { text: history?.createdBy ?? instructionText(instruction) };
      const inputs: Record<string, string> = {};
      if (step?.run) op.text = classicRunCommand(step);
      // The classic ARG step commits `ARG K=default` as written: a --build-arg value reaches only RUN's `|N k=v`.
      if (instruction.name === 'ARG') op.text = `ARG ${instruction.args.map((arg) => arg.value).join(' ')}`;
      if (step?.copy) {
        for (const source of step.copy.sources) {
          if (source.kind === 'context' && context) {
            try {
              inputs[source.path] = context.checksum({
                path: cleanPath(`/${source.path}`),
                followLinks: true,
                wildcard: containsWildcards(source.path),
              });
            } catch {
              inputs[source.path] = digest(['missing', source.path]);
            }
          } else if (source.kind === 'stage')
            inputs[source.path] = stageOutputs[step.copy.fromStage ?? -1] ?? digest(['image', step.copy.from]);
        }
      }
      const key = digest([chain, op, inputs]);
      const shown: Step = step ?? {
        kind: instruction.name as Step['kind'],
        stage: stage.index,
        line: instruction.range.start.line,
        instruction,
        text: instructionText(instruction),
        state: stage.finalState,
        createdBy: history?.createdBy ?? '',
      };
      steps.push(keyOf(stage, shown, chain, op, inputs, key, i));
      chain = key;
    });
    stageOutputs[stage.index] = chain;
  }
  return { model, steps, stageOutputs };
}

function keyOf(
  stage: Stage,
  step: Step | undefined,
  parent: string | undefined,
  op: Record<string, unknown>,
  inputs: Record<string, string>,
  key: string,
  _index?: number,
): StepKey {
  const shown: Step =
    step && (parent !== undefined || step.kind === 'FROM')
      ? step
      : ({
          kind: 'FROM',
          stage: stage.index,
          line: stage.line,
          instruction: stage.from,
          text: instructionText(stage.from),
          state: stage.finalState,
          createdBy: '',
        } as Step);
  // No recovery in the classic builder: the op key is the full key, so a miss is a miss.
  return { step: shown, stageLabel: stage.label, parent, op, inputs, unknown: [], opKey: key, key, output: key, reads: [] };
}

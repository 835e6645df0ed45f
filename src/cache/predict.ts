/**
 * Predicts which steps BuildKit reports CACHED: a step is cached when its key is among the keys of every earlier
 * build (the build cache remembers them all), rebuilt when its definition or content inputs are new, and unknown
 * only when the answer depends on the outside world (remote ADD, another stage's re-run output). Each prediction
 * carries a reason a person understands at a glance, found by comparing with the matching step of a reference build
 * (the OLD build in `cache diff`, the previous commit in `cache replay`). Pure.
 */
import type { Dockerfile } from '../dockerfile/ast.js';
import { buildModel } from '../model/build.js';
import { cleanPath } from '../model/paths.js';
import type { ModelOptions, StepKind } from '../model/types.js';
import { type ContentTree, changedPaths } from './contenthash.js';
import { type BuildKeys, computeKeys, type ImageStore, type StepKey } from './keys.js';
import { computeClassicKeys } from './keys-classic.js';
import { explainNewRead, type StageRead } from './stage-files.js';

export type StepStatus = 'cached' | 'rebuilt' | 'unknown';

export interface StepPrediction {
  stage: string;
  line: number;
  instruction: string;
  status: StepStatus;
  reason: string;
  kind: StepKind | string;
  /** The first step of this step's chain that made it rebuild or unknown (itself when it is the cause). */
  causeLine?: number;
  /** What triggered the rebuild: 'files', 'arg', 'env', 'instruction', 'base', 'remote', 'stage', 'after'. */
  trigger?: string;
}

export interface Prediction {
  steps: StepPrediction[];
  summary: { cached: number; rebuilt: number; unknown: number };
  /** The assumptions the prediction rests on (builder, image store). */
  assumptions: string[];
}

/** One side of a comparison: a parsed Dockerfile, its build options and its context records. */
export interface BuildInput {
  dockerfile: Dockerfile;
  context?: ContentTree;
  options?: ModelOptions;
  /** Base image references whose digest changed for this build (`--base-changed`). */
  baseChanged?: readonly string[];
  /** Distinguishes builds (a commit, "old"/"new"); makes changed bases unique. */
  id?: string;
}

export interface PredictOptions {
  builder?: 'buildkit' | 'classic';
  imageStore?: ImageStore;
}

/** Every key the build cache holds, over all builds seen so far. */
export class BuildCache {
  readonly keys = new Set<string>();
  readonly opKeys = new Set<string>();
  remember(build: BuildKeys): void {
    for (const step of build.steps) {
      this.keys.add(step.key);
      this.keys.add(step.output);
      this.opKeys.add(step.opKey);
      for (const read of step.reads) this.keys.add(read.identity);
    }
  }
}

export function keysFor(input: BuildInput, options: PredictOptions = {}): BuildKeys {
  const classic = options.builder === 'classic';
  const model = buildModel(input.dockerfile, { ...input.options, allStagesUpToTarget: classic });
  const keyOptions = { imageStore: options.imageStore, baseChanged: input.baseChanged, buildId: input.id };
  return classic ? computeClassicKeys(model, input.context, keyOptions) : computeKeys(model, input.context, keyOptions);
}

/** `cache diff`: what building NEW reports after OLD was built (on a cache holding only OLD's entries). */
export function predict(old: BuildInput, next: BuildInput, options: PredictOptions = {}): Prediction {
  const cache = new BuildCache();
  const oldKeys = keysFor({ id: 'old', ...old }, options);
  cache.remember(oldKeys);
  const newKeys = keysFor({ id: 'new', ...next }, options);
  return classify(newKeys, cache, { keys: oldKeys, context: old.context }, next.context, options);
}

export interface Reference {
  keys: BuildKeys;
  context?: ContentTree;
}

/** Classifies each step of `current` against the cache, explaining differences with `reference`. */
export function classify(
  current: BuildKeys,
  cache: BuildCache,
  reference: Reference | undefined,
  context: ContentTree | undefined,
  options: PredictOptions = {},
): Prediction {
  const statusOf = new Map<string, { status: StepStatus; line: number }>();
  const steps: StepPrediction[] = [];
  const match = matcher(reference?.keys);
  for (const key of current.steps) {
    const step = key.step;
    const label = key.stageLabel;
    const parent = key.parent === undefined || key.parent === '' ? undefined : statusOf.get(key.parent);
    const ref = match(key);
    let status: StepStatus;
    let reason: string;
    let causeLine = step.line;
    let trigger: string | undefined;
    const own = ownChange(key, ref, reference?.context, context);
    if (!cache.opKeys.has(key.opKey) && !(parent && parent.status !== 'cached' && !own)) {
      status = 'rebuilt';
      ({ reason, trigger } = own ?? {
        reason: ref ? 'its definition changed' : 'a new step (not built before)',
        trigger: 'instruction',
      });
    } else if (parent && parent.status !== 'cached') {
      status = parent.status;
      causeLine = parent.line;
      trigger = 'after';
      reason =
        parent.status === 'rebuilt'
          ? `after a rebuilt step (line ${parent.line})`
          : `after a step whose outcome is unknown (line ${parent.line})`;
    } else if (key.unknown.length > 0) {
      status = 'unknown';
      reason = key.unknown[0].reason;
      trigger = 'remote';
    } else if (key.reads.some((read) => !cache.keys.has(read.identity))) {
      const read = key.reads.find((r) => !cache.keys.has(r.identity)) as StageRead;
      const verdict = explainNewRead(
        read,
        ref?.reads.find((r) => r.label === read.label),
        (k) => cache.keys.has(k),
      );
      status = verdict.status;
      reason = verdict.reason;
      trigger = 'stage';
    } else if (cache.keys.has(key.key)) {
      status = 'cached';
      reason = 'same definition and inputs as an earlier build';
    } else {
      status = 'rebuilt';
      ({ reason, trigger } = own ?? { reason: 'its inputs changed', trigger: 'files' });
    }
    if (status === 'cached') causeLine = step.line;
    statusOf.set(key.output, { status, line: status === 'cached' ? step.line : causeLine });
    steps.push({ stage: label, line: step.line, instruction: step.text, status, reason, kind: step.kind, causeLine, trigger });
  }
  const summary = { cached: 0, rebuilt: 0, unknown: 0 };
  for (const s of steps) summary[s.status]++;
  const assumptions = [
    options.builder === 'classic' ? 'classic builder' : 'BuildKit',
    `COPY --link as with the ${options.imageStore ?? 'overlay2'} image store`,
  ];
  // `RUN --security` is labs-only before Dockerfile 1.20 (BuildKit 0.26): Docker 28.5's built-in frontend refuses it as
  // "unknown flag" even with the entitlement granted (test/cache/engine-security.test.ts shows it on a real engine).
  const security = current.steps.find((k) => k.step.instruction.flags.some((flag) => flag.name === 'security'));
  if (security && options.builder !== 'classic')
    assumptions.push(
      `RUN --security (line ${security.step.line}) builds only with Dockerfile 1.20+ (BuildKit 0.26+; labs before) and --allow security.insecure on a daemon that grants it`,
    );
  return { steps, summary, assumptions };
}

/** Finds the reference build's step that corresponds to a step: same stage label and kind, same ordinal. */
function matcher(reference: BuildKeys | undefined): (key: StepKey) => StepKey | undefined {
  if (!reference) return () => undefined;
  const position = (key: StepKey, tally: Map<string, number>) => {
    const base = `${key.stageLabel}\0${key.step.kind}`;
    const n = tally.get(base) ?? 0;
    tally.set(base, n + 1);
    return `${base}\0${n}`;
  };
  const byPosition = new Map<string, StepKey>();
  const counts = new Map<string, number>();
  for (const key of reference.steps) byPosition.set(position(key, counts), key);
  const seen = new Map<string, number>();
  // The caller visits the current build's steps in order, so ordinals line up.
  return (key: StepKey) => byPosition.get(position(key, seen));
}

const shortDigest = (value: string) => value.replace(/^sha256:/, '').slice(0, 12);

const short = (value: unknown) => {
  const text = value === undefined ? '(unset)' : String(value);
  return text.length > 24 ? `${text.slice(0, 21)}…` : text;
};

/** What differs in the step itself (not its parent) from the reference step, in words. */
function ownChange(
  key: StepKey,
  ref: StepKey | undefined,
  refContext: ContentTree | undefined,
  context: ContentTree | undefined,
): { reason: string; trigger: string } | undefined {
  if (!ref) return undefined;
  const step = key.step;
  const a = ref.op;
  const b = key.op;
  const differs = (field: string) => JSON.stringify(a[field]) !== JSON.stringify(b[field]);
  if (step.kind === 'FROM') {
    const [before, after] = [ref.note ?? {}, key.note ?? {}];
    if (before.ref !== after.ref && (!a.layers || !b.layers || differs('layers')))
      return { reason: `base image changed (${short(before.ref)} → ${short(after.ref)})`, trigger: 'base' };
    if (differs('layers') && before.digest && after.digest)
      return {
        reason: `base image ${after.ref} changed digest (${shortDigest(before.digest)} → ${shortDigest(after.digest)})`,
        trigger: 'base',
      };
    if (differs('digest') || differs('changed') || differs('layers'))
      return { reason: `base image ${after.ref} changed digest`, trigger: 'base' };
    if (differs('platform')) return { reason: 'its platform changed', trigger: 'instruction' };
    return undefined;
  }
  if (a.kind !== b.kind) return { reason: 'the instruction changed', trigger: 'instruction' };
  if (step.kind === 'RUN') {
    const argsA = a.args as string[];
    const argsB = b.args as string[];
    if (JSON.stringify(argsA) !== JSON.stringify(argsB)) {
      const shellA = JSON.stringify(argsA.slice(0, -1));
      const shellB = JSON.stringify(argsB.slice(0, -1));
      if (step.run?.shellForm && shellA !== shellB && argsA[argsA.length - 1] === argsB[argsB.length - 1]) {
        return {
          reason: `SHELL changed (${short(argsA.slice(0, -1).join(' '))} → ${short(argsB.slice(0, -1).join(' '))})`,
          trigger: 'instruction',
        };
      }
      return { reason: 'its command text changed', trigger: 'instruction' };
    }
    if (differs('env')) return envReason(a.env as string[], b.env as string[], new Set(step.state.args.map((x) => x.name)));
    if (differs('cwd')) return { reason: `WORKDIR changed (${short(a.cwd)} → ${short(b.cwd)})`, trigger: 'instruction' };
    if (differs('user')) return { reason: `USER changed (${short(a.user)} → ${short(b.user)})`, trigger: 'instruction' };
    if (differs('network')) return { reason: `--network changed (${a.network} → ${b.network})`, trigger: 'instruction' };
    if (differs('security')) return { reason: `--security changed (${a.security} → ${b.security})`, trigger: 'instruction' };
    if (differs('mounts')) return { reason: 'its --mount options changed', trigger: 'instruction' };
    if (differs('platform')) return { reason: 'its platform changed', trigger: 'instruction' };
  } else if (step.kind === 'WORKDIR') {
    if (differs('path')) return { reason: `its path changed (${short(a.path)} → ${short(b.path)})`, trigger: 'instruction' };
    if (differs('user')) return { reason: `USER changed (${short(a.user)} → ${short(b.user)})`, trigger: 'instruction' };
  } else {
    for (const field of [
      'sources',
      'dest',
      'chown',
      'chmod',
      'unpack',
      'parents',
      'excludes',
      'checksum',
      'keepGitDir',
      'link',
      'platform',
    ]) {
      if (differs(field)) {
        const what =
          field === 'sources'
            ? 'its sources changed'
            : field === 'dest'
              ? `its destination changed (${short(a.dest)} → ${short(b.dest)})`
              : `its --${field} changed`;
        return { reason: what, trigger: 'instruction' };
      }
    }
  }
  // Content inputs: files of the context (or a bind mount source) that changed.
  for (const [label, value] of Object.entries(key.inputs)) {
    if (ref.inputs[label] === value) continue;
    if (refContext && context && step.copy?.sources.some((s) => cleanPath(s.path) === label && s.kind === 'context')) {
      const changed = changedPaths(refContext, context, label, 3);
      if (changed.length) return { reason: `${changed.join(', ')}`, trigger: 'files' };
    }
    if (label.startsWith('mount '))
      return { reason: `the files of its bind mount (${label.slice(6)}) changed`, trigger: 'files' };
    return { reason: `${label} changed`, trigger: 'files' };
  }
  return undefined;
}

function envReason(a: string[], b: string[], args: Set<string>): { reason: string; trigger: string } {
  const parse = (list: string[]) =>
    new Map(list.map((kv) => [kv.slice(0, kv.indexOf('=') < 0 ? kv.length : kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  const ma = parse(a);
  const mb = parse(b);
  for (const [k, v] of mb) {
    if (ma.get(k) !== v) {
      const kind = args.has(k) ? 'ARG' : 'ENV';
      return { reason: `${kind} ${k} changed (${short(ma.get(k))} → ${short(v)})`, trigger: kind === 'ARG' ? 'arg' : 'env' };
    }
  }
  for (const k of ma.keys()) {
    if (!mb.has(k))
      return { reason: `${args.has(k) ? 'ARG' : 'ENV'} ${k} is no longer set`, trigger: args.has(k) ? 'arg' : 'env' };
  }
  return {
    reason: 'the order of ENV/ARG assignments changed (BuildKit keys the environment in assignment order)',
    trigger: 'env',
  };
}

/**
 * Step cache keys: for every step of a build model, the ingredients BuildKit puts in its cache key (the op definition
 * plus, per input, the parent's key or a content checksum) and a digest of them. Two steps have the same key exactly
 * when BuildKit would find the earlier one's cache record. Pure.
 *
 * Modelled on dockerfile2llb + solver/llbsolver/ops (see docs/cache.md): RUN text unexpanded, env in latest-assignment
 * order, cwd/user/network/security, mounts (cache-mount id/sharing only in their default form, bind sources by
 * content), COPY/ADD action fields with source selections by content, `--from` stages by their output key, WORKDIR
 * as a mkdir keyed by the cleaned path and user, FROM by reference (or digest).
 */
import { envStrings } from '../model/env.js';
import { cleanPath } from '../model/paths.js';
import type { BuildModel, Mount, Stage, Step } from '../model/types.js';
import { ContentError, type ContentTree, EMPTY_DIGEST } from './contenthash.js';
import { digest } from './digest.js';
import { containsWildcards } from './go-path.js';
import { type FileWrite, readOf, type StageRead } from './stage-files.js';

export { digest };

export type ImageStore = 'overlay2' | 'containerd';

export interface KeyOptions {
  /** How `COPY --link` behaves: overlay2 (Docker ≤ 28 default) ignores it; containerd makes a copy + merge. */
  imageStore?: ImageStore;
  /** Base image references to treat as having a new digest (`--base-changed REF`). */
  baseChanged?: readonly string[];
  /** A token that makes changed bases unique to this build (so they never match an earlier build). */
  buildId?: string;
}

/** An input whose identity cannot be known before building. */
export interface UnknownInput {
  reason: string;
}

/** What one step's key is made of, kept for explaining differences. */
export interface StepKey {
  step: Step;
  /** The stage's name or `stage-N`. */
  stageLabel: string;
  /** The chain key of the state this step starts from (undefined for FROM). */
  parent?: string;
  /** The op definition without inputs: the fields BuildKit hashes from the op proto. */
  op: Record<string, unknown>;
  /** Content-keyed inputs by label (e.g. source path) → digest. */
  inputs: Record<string, string>;
  /** Inputs whose content is only known at build time. */
  unknown: UnknownInput[];
  /** Digest of op + parent (without content inputs). */
  opKey: string;
  /** The full key: op + parent + inputs. */
  key: string;
  /** The key of this step's result, what the next step's `parent` is. */
  output: string;
  /** What this step reads from other stages' outputs (COPY --from, RUN --mount from=), by content. */
  reads: StageRead[];
  /** Facts kept only to explain a difference (not part of the key): a FROM's reference and digest. */
  note?: { ref?: string; digest?: string };
}

export interface BuildKeys {
  model: BuildModel;
  steps: StepKey[];
  /** The output key of each stage (undefined for unreachable stages). */
  stageOutputs: (string | undefined)[];
}

/** Cache mounts keep id and sharing in their key only in the default form (checkShouldClearCacheOpts). */
function mountKey(mount: Mount): Record<string, unknown> {
  const key: Record<string, unknown> = {
    type: mount.type,
    target: mount.target,
    readonly: mount.readonly,
    options: mount.options,
  };
  if (mount.type === 'cache') {
    const isDefault = (mount.id === cleanPath(mount.target) || mount.id === undefined) && mount.sharing === 'shared';
    if (isDefault) Object.assign(key, { id: mount.id, sharing: mount.sharing });
  } else if (mount.type === 'secret' || mount.type === 'ssh') key.id = mount.id;
  if (mount.type === 'bind' || mount.type === 'cache')
    Object.assign(key, { from: mount.from === undefined ? undefined : 'from', source: mount.source });
  return key;
}

/** Computes every reachable step's key for a build (context = the build context's records, if available). */
export function computeKeys(model: BuildModel, context: ContentTree | undefined, options: KeyOptions = {}): BuildKeys {
  const stageOutputs: (string | undefined)[] = model.stages.map(() => undefined);
  const stageWrites: (FileWrite[] | undefined)[] = model.stages.map(() => undefined);
  const stageLabels = model.stages.map((stage) => stage.label);
  const steps: StepKey[] = [];
  const store = options.imageStore ?? 'overlay2';
  const contextDigest = (selector: Parameters<ContentTree['checksum']>[0]): string | UnknownInput => {
    if (!context) return { reason: 'the build context is not available' };
    try {
      return context.checksum(selector);
    } catch (error) {
      if (error instanceof ContentError)
        return { reason: `${selector.path}: not found in the build context (the build fails here)` };
      throw error;
    }
  };

  for (const stage of model.stages) {
    if (!stage.reachable) continue;
    let chain: string;
    let writes: FileWrite[];
    if (stage.base.kind === 'stage') {
      chain = stageOutputs[stage.base.stage] ?? digest(['missing-stage', stage.base.stage]);
      writes = [...(stageWrites[stage.base.stage] ?? [])];
    } else if (stage.base.kind === 'scratch') {
      chain = digest(['scratch']);
      writes = [
        {
          line: stage.line,
          stageLabel: stage.label,
          text: 'FROM scratch',
          kind: 'opaque',
          step: 'FROM',
          identity: chain,
          empty: true,
        },
      ];
    } else {
      chain = '';
      writes = [];
    }
    for (const step of stage.steps) {
      const ctx = { contextDigest, stageOutputs, stageWrites, stageLabels, options, store, platform: model.platform };
      const key = stepKey(step, stage, chain, ctx);
      steps.push(key);
      writes.push(writeOf(key));
      chain = key.output;
    }
    stageOutputs[stage.index] = chain;
    stageWrites[stage.index] = writes;
  }
  return { model, steps, stageOutputs };
}

/** How a step changes its stage's files, for later reads of the stage (see stage-files.ts). */
function writeOf(key: StepKey): FileWrite {
  const { step } = key;
  const common = { line: step.line, stageLabel: key.stageLabel, text: step.text, step: step.kind };
  if (step.kind === 'WORKDIR') return { ...common, kind: 'mkdir', dest: step.mkdir?.path, identity: digest(key.op) };
  if (step.kind === 'COPY' || step.kind === 'ADD') {
    const copy = step.copy;
    return {
      ...common,
      kind: 'copy',
      dest: cleanPath(copy?.dest ?? '/'),
      identity: digest([key.op, key.inputs]),
      op: digest(key.op),
      uncertain: Boolean(copy?.chmod) || key.unknown.length > 0 || key.reads.length > 0 || copy?.from !== undefined,
    };
  }
  return { ...common, kind: 'opaque', identity: key.output };
}

interface StepContext {
  contextDigest: (selector: Parameters<ContentTree['checksum']>[0]) => string | UnknownInput;
  stageOutputs: (string | undefined)[];
  stageWrites: (FileWrite[] | undefined)[];
  stageLabels: string[];
  options: KeyOptions;
  store: ImageStore;
  /** The build's target platform, which a stage without `--platform` builds for. */
  platform: string;
}

function stepKey(step: Step, stage: Stage, parent: string, ctx: StepContext): StepKey {
  // `FROM --platform=$BUILDPLATFORM` on a single-platform build names the platform it builds for anyway.
  const platform = stage.platform ?? ctx.platform;
  const inputs: Record<string, string> = {};
  const unknown: UnknownInput[] = [];
  const reads: StageRead[] = [];
  const addInput = (label: string, value: string | UnknownInput) => {
    if (typeof value === 'string') inputs[label] = value;
    else {
      unknown.push(value);
      inputs[label] = digest(['unknown', value.reason]);
    }
  };
  // Another stage's files are keyed by what the stage leaves at the path read, not by the stage's key.
  const stageInput = (label: string, stageIndex: number | undefined, ref: string, path: string, exact: boolean) => {
    const log = stageIndex === undefined ? undefined : ctx.stageWrites[stageIndex];
    if (stageIndex === undefined || !log?.length) {
      inputs[label] = digest(['image', ref]);
      return;
    }
    const read = readOf(log, label, ctx.stageLabels[stageIndex], wildcardParent(path), exact);
    reads.push(read);
    inputs[label] = read.identity;
  };
  let op: Record<string, unknown>;
  switch (step.kind) {
    case 'FROM': {
      const image = step.image ?? '';
      const changed = ctx.options.baseChanged?.includes(image) ? (ctx.options.buildId ?? 'changed') : undefined;
      const info = stage.base.kind === 'image' ? stage.base.info : undefined;
      // A resolved base is keyed as BuildKit keys it: by its layers (and platform), not by the name it was asked by.
      op = info?.layers
        ? { kind: 'image', layers: info.layers, changed, platform }
        : { kind: 'image', ref: image, digest: info?.digest, changed, platform };
      const key = digest(op);
      const note = { ref: image, digest: info?.digest };
      return { step, stageLabel: stage.label, op, inputs, unknown, opKey: key, key, output: key, reads, note };
    }
    case 'RUN': {
      const run = step.run;
      if (!run) throw new Error('RUN step without run data');
      op = {
        kind: 'exec',
        args: run.args,
        env: envStrings(step.state.env),
        cwd: step.state.workdir,
        user: step.state.user,
        network: run.network,
        security: run.security,
        mounts: run.mounts.map(mountKey),
        ...(run.script === undefined ? {} : { script: run.script }),
        platform,
      };
      run.mounts.forEach((mount, i) => {
        if (mount.type !== 'bind') return;
        const label = `mount ${mount.target}`;
        const path = mount.source ?? '/';
        if (mount.from === undefined) addInput(label, ctx.contextDigest({ path, followLinks: true }));
        else stageInput(label, mount.fromStage, `${mount.from}:${path}`, cleanPath(`/${path}`), !containsWildcards(path));
        inputs[label] = digest([inputs[label], path, i]);
      });
      break;
    }
    case 'WORKDIR':
      op = { kind: 'mkdir', path: step.mkdir?.path, user: step.mkdir?.user, platform };
      break;
    default: {
      const copy = step.copy;
      if (!copy) throw new Error('COPY step without copy data');
      const isAdd = step.kind === 'ADD';
      op = {
        kind: 'copy',
        sources: copy.sources.map((s) => (s.kind === 'context' || s.kind === 'stage' ? baseName(s.path) : s.path)),
        dest: copy.dest,
        chown: copy.chown,
        chmod: copy.chmod,
        unpack: isAdd && copy.sources.some((s) => s.kind === 'context') ? (copy.unpack ?? 'auto') : copy.unpack,
        parents: copy.parents,
        excludes: copy.excludes,
        checksum: copy.checksum,
        keepGitDir: copy.keepGitDir,
        platform,
      };
      for (const source of copy.sources) {
        const label = source.kind === 'context' || source.kind === 'stage' ? cleanPath(source.path) : source.path;
        const selector = {
          path: cleanPath(`/${source.path}`),
          followLinks: true,
          wildcard: containsWildcards(source.path),
          excludePatterns: copy.excludes.length ? copy.excludes : undefined,
        };
        if (source.kind === 'context') addInput(label, ctx.contextDigest(selector));
        else if (source.kind === 'stage') {
          const exact = !selector.wildcard && !copy.excludes.length && !copy.parents;
          stageInput(label, copy.fromStage, `${copy.from}:${source.path}`, selector.path, exact);
          inputs[label] = digest([inputs[label], selector]);
        } else if (source.kind === 'heredoc') {
          const name = source.path.replace(/^<<-?/, '').replace(/^["']|["']$/g, '');
          inputs[label] = digest(['heredoc', copy.heredocs[name] ?? source.path]);
        } else if (source.kind === 'url') {
          if (copy.checksum) inputs[label] = digest(['checksum', copy.checksum]);
          else addInput(label, { reason: `ADD ${source.path}: remote content is checked at build time` });
        } else addInput(label, { reason: `ADD ${source.path}: the git ref is resolved at build time` });
      }
      if (copy.link && ctx.store === 'containerd' && !copy.chmod) {
        // --link: the copy is made onto scratch; only the merge depends on the layers before it.
        const copyKey = digest([op, digest(['scratch']), inputs]);
        const opKey = digest([{ kind: 'merge' }, parent, copyKey]);
        const key = opKey;
        return {
          step,
          stageLabel: stage.label,
          parent,
          op: { ...op, link: true },
          inputs,
          unknown,
          opKey: digest([op, parent]),
          key,
          output: key,
          reads,
        };
      }
    }
  }
  const opKey = digest([op, parent]);
  const key = digest([op, parent, inputs]);
  return { step, stageLabel: stage.label, parent, op, inputs, unknown, opKey, key, output: key, reads };
}

/** For a wildcard source, the directory that holds the matches (what may change what it selects). */
function wildcardParent(path: string): string {
  if (!containsWildcards(path)) return path;
  const parts = path.split('/');
  const first = parts.findIndex((part) => containsWildcards(part));
  return cleanPath(`/${parts.slice(0, first).join('/')}`);
}

function baseName(path: string): string {
  const clean = cleanPath(`/${path}`);
  return clean === '/' ? '/' : clean.slice(clean.lastIndexOf('/') + 1);
}

export { EMPTY_DIGEST };

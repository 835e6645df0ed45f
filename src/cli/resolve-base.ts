/**
 * `cache diff --resolve-base`: asks the engine or a registry what each base image of a side is (layers, config), and
 * hands it to the pure prediction through the model's `baseImages`. OLD's bases can be pinned to the digest OLD was
 * built with (`--old-base REF@DIGEST`); otherwise OLD is resolved as NEW is, which says nothing about a tag that moved
 * since OLD was built — the prediction's assumptions say so.
 */
import type { LoadedSide } from '../cache/fs-inputs.js';
import { UsageError } from '../errors.js';
import { parseDockerReference } from '../image/ref.js';
import { type ResolveBaseOptions, type ResolvedBase, resolveBaseImage } from '../image/sources/base-image.js';
import { buildModel } from '../model/build.js';
import type { BaseImageInfo } from '../model/types.js';

/** The image references a side's reachable stages are based on, as written after meta-ARG expansion. */
export function baseReferences(side: LoadedSide): string[] {
  const model = buildModel(side.input.dockerfile, side.input.options);
  const refs = new Set<string>();
  for (const stage of model.stages) if (stage.reachable && stage.base.kind === 'image') refs.add(stage.base.ref);
  return [...refs];
}

/** `--old-base REF@DIGEST` values: the reference (without the digest) → the pinned reference. */
export function parsePins(values: readonly string[] = []): Map<string, string> {
  const pins = new Map<string, string>();
  for (const value of values) {
    const at = value.lastIndexOf('@');
    if (at <= 0) throw new UsageError(`--old-base ${value}: expected REF@sha256:DIGEST (the digest OLD was built with)`);
    parseDockerReference(value);
    pins.set(value.slice(0, at), value);
  }
  return pins;
}

/** Resolves every base of `side` (pinned ones by their digest) and puts them into its model options. */
export async function resolveSide(
  side: LoadedSide,
  options: ResolveBaseOptions,
  pins: Map<string, string> = new Map(),
  cache: Map<string, Promise<ResolvedBase>> = new Map(),
): Promise<Record<string, ResolvedBase>> {
  const resolved: Record<string, ResolvedBase> = {};
  for (const ref of baseReferences(side)) {
    const asked = pins.get(ref) ?? ref;
    let pending = cache.get(asked);
    if (!pending) {
      pending = resolveBaseImage(asked, options);
      cache.set(asked, pending);
    }
    resolved[ref] = await pending;
  }
  const baseImages: Record<string, BaseImageInfo> = { ...(side.input.options?.baseImages ?? {}) };
  for (const [ref, base] of Object.entries(resolved)) {
    const { source: _source, ...info } = base;
    baseImages[ref] = info;
  }
  side.input.options = { ...side.input.options, baseImages };
  return resolved;
}

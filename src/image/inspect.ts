/**
 * The image commands as library calls: each reads the image once through `scanImage` and returns plain values
 * (history rows, analysis, final filesystem) for a report to render.
 */
import { type Analysis, Analyzer } from './analyze.js';
import { type FileState, FinalFilesystem, type LayerRef } from './diff.js';
import { type HistoryRow, historyRows, type LayerFacts, type SizeMode } from './history.js';
import type { Image } from './image.js';
import type { LayerRecord } from './layer-record.js';
import type { LayerEntry } from './layers.js';
import { type LayerCollector, type ScanOptions, scanImage } from './scan.js';

export interface ImageInfo {
  source: string;
  digest: string;
  config: string;
}

async function info(image: Image): Promise<ImageInfo> {
  return { source: image.source, digest: await image.digest(), config: await image.configName() };
}

export interface Inspection {
  info: ImageInfo;
  rows: HistoryRow[];
  analysis?: Analysis;
  layers: LayerRef[];
  files?: Map<string, FileState>;
}

export interface InspectOptions extends Pick<ScanOptions, 'onProgress'> {
  analyze?: boolean;
  /** Build the final filesystem (with content digests) for `diff`. */
  files?: boolean;
  /** Which of docker's two size figures history rows carry (default `applied`). */
  sizes?: SizeMode;
}

interface Collected {
  record?: LayerRecord;
  entries?: LayerEntry[];
}

/** Analysis keeps a compact record of each layer; diff (which compares contents and modes) keeps the entries. */
function collector(analyzer: Analyzer | undefined, keepEntries: boolean): LayerCollector<Collected> {
  const recorder = analyzer?.recorder();
  const entries: LayerEntry[] | undefined = keepEntries ? [] : undefined;
  return {
    intern: recorder?.intern,
    add(entry) {
      recorder?.add(entry);
      entries?.push(entry);
    },
    finish: () => ({ record: recorder?.finish(), entries }),
  };
}

/** Reads every layer once and returns what the options ask for (history rows always). */
export async function inspectImage(image: Image, options: InspectOptions = {}): Promise<Inspection> {
  const config = await image.configFile();
  const facts: LayerFacts[] = [];
  const analyzer = options.analyze ? new Analyzer() : undefined;
  const filesystem = options.files ? new FinalFilesystem() : undefined;
  await scanImage<Collected>(
    image,
    ({ collected, ...layer }) => {
      facts.push({
        digest: layer.digest,
        diffId: layer.diffId,
        size: layer.size,
        builtSize: layer.builtSize,
        compressedSize: layer.compressedSize,
      });
      if (collected.record) analyzer?.addLayer(layer.index, collected.record);
      if (collected.entries) filesystem?.addLayer(collected.entries);
    },
    { hashContents: options.files, onProgress: options.onProgress, collect: () => collector(analyzer, Boolean(filesystem)) },
  );
  return {
    info: await info(image),
    rows: historyRows(config, facts, options.sizes),
    analysis: analyzer?.result(),
    layers: facts.map(({ digest, diffId, compressedSize }) => ({ digest, diffId, compressedSize })),
    files: filesystem?.files(),
  };
}

/**
 * `layerwise image history` beside `docker history`, row for row: the check behind docs/evidence.md's "size for size"
 * tables (test/build/article.test.ts on tiny images; scripts/article-evidence.ts on the real apt images). layerwise
 * reads the image the way a user would (`layerwise image history --format json docker-daemon:TAG`, the CLI itself);
 * docker answers with `docker history --human=false` (raw bytes).
 *
 * Which of layerwise's two figures docker shows depends on how the layer entered the engine's store (docs/image.md):
 * the base image's layers were imported, so docker reports their applied size (symlinks count their target's length);
 * the layers BuildKit built on this engine are reported by their tar headers (symlinks count 0). An image alone
 * cannot tell the two apart, so the caller names the base image: its rows are compared with `appliedSize`, the rest
 * with `builtSize`.
 */
import { spawnSync } from 'node:child_process';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

export interface HistoryPair {
  /** `created by` as `docker history` shows it (empty for an imported base layer). */
  createdBy: string;
  /** `created by` as `layerwise image history` shows it (must equal createdBy). */
  layerwiseCreatedBy: string;
  docker: number;
  /** layerwise's figure for how this layer entered the store (`kind`). */
  layerwise: number;
  /** `applied` for the base image's rows (imported), `built` for the rows of the build on this engine. */
  kind: 'applied' | 'built';
}

/** `docker history` of an image, oldest row first, sizes in bytes. */
export function dockerHistory(image: string, env: NodeJS.ProcessEnv = process.env): { size: number; createdBy: string }[] {
  const result = spawnSync('docker', ['history', '--human=false', '--no-trunc', '--format', '{{.Size}}\t{{.CreatedBy}}', image], {
    encoding: 'utf8',
    env,
  });
  if (result.status !== 0) throw new Error(`docker history ${image}: ${result.stderr}`);
  return result.stdout
    .trim()
    .split('\n')
    .map((line) => {
      const [size, ...rest] = line.split('\t');
      return { size: Number(size), createdBy: rest.join('\t') };
    })
    .reverse();
}

/**
 * Both histories of `tag`, built on this engine FROM `base`, oldest row first. Throws when either tool fails or the
 * row counts differ.
 */
export async function compareHistories(tag: string, base: string, env: NodeJS.ProcessEnv = process.env): Promise<HistoryPair[]> {
  const docker = dockerHistory(tag, env);
  const baseRows = dockerHistory(base, env).length;
  const io = memoryIo({ env });
  const code = await main(['image', 'history', '--quiet', '--format', 'json', `docker-daemon:${tag}`], io);
  if (code !== 0) throw new Error(`layerwise image history docker-daemon:${tag}: ${io.err}`);
  const ours = (JSON.parse(io.out) as { layers: { appliedSize: number; builtSize: number; createdBy: string }[] }).layers;
  if (ours.length !== docker.length)
    throw new Error(`${tag}: layerwise image history has ${ours.length} rows, docker history ${docker.length}`);
  return ours.map((row, i) => {
    const kind = i < baseRows ? 'applied' : 'built';
    return {
      createdBy: docker[i].createdBy,
      layerwiseCreatedBy: row.createdBy,
      docker: docker[i].size,
      layerwise: kind === 'applied' ? row.appliedSize : row.builtSize,
      kind,
    };
  });
}

/** Rows where the two tools disagree (size or created-by). */
export function disagreements(rows: HistoryPair[]): HistoryPair[] {
  return rows.filter((row) => row.docker !== row.layerwise || row.createdBy !== row.layerwiseCreatedBy);
}

/**
 * The Markdown table docs/evidence.md shows: one row per history entry, newest first per image, `marker` (a run's
 * random id) written as `<run>` so runs compare equal.
 */
export function historyTable(images: Record<string, HistoryPair[]>, marker?: string): string {
  const lines = [
    '| Dockerfile | created by (`docker history`, newest first) | `docker history` | `layerwise image history` | layerwise figure |',
    '| --- | --- | ---: | ---: | --- |',
  ];
  const bytes = (n: number) => `${n.toLocaleString('en-US')} B`;
  for (const [name, rows] of Object.entries(images))
    for (const row of [...rows].reverse()) {
      const createdBy = (marker ? row.createdBy.replaceAll(marker, '<run>') : row.createdBy).replaceAll('|', '\\|');
      const short = createdBy.length > 70 ? `${createdBy.slice(0, 67)}...` : createdBy;
      const cell = short ? `\`${short}\`` : '(base image, made by `docker import`)';
      const figure = row.kind === 'applied' ? 'applied (imported layer)' : 'built (BuildKit on this engine)';
      lines.push(`| ${name} | ${cell} | ${bytes(row.docker)} | ${bytes(row.layerwise)} | ${figure} |`);
    }
  return lines.join('\n');
}

/**
 * `layerwise image history` beside `docker history`, row for row: the check behind docs/evidence.md's "size for size"
 * tables (test/build/article.test.ts on tiny images; scripts/article-evidence.ts on the real apt images). layerwise
 * reads the image the way a user would (`layerwise image history --format json docker-daemon:TAG`, the CLI itself);
 * docker answers with `docker history --human=false` (raw bytes).
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
  layerwise: number;
}

/** Both histories of one image, oldest row first. Throws when either tool fails or the row counts differ. */
export async function compareHistories(tag: string, env: NodeJS.ProcessEnv = process.env): Promise<HistoryPair[]> {
  const result = spawnSync('docker', ['history', '--human=false', '--no-trunc', '--format', '{{.Size}}\t{{.CreatedBy}}', tag], {
    encoding: 'utf8',
    env,
  });
  if (result.status !== 0) throw new Error(`docker history ${tag}: ${result.stderr}`);
  const docker = result.stdout
    .trim()
    .split('\n')
    .map((line) => {
      const [size, ...rest] = line.split('\t');
      return { size: Number(size), createdBy: rest.join('\t') };
    })
    .reverse();
  const io = memoryIo({ env });
  const code = await main(['image', 'history', '--quiet', '--format', 'json', `docker-daemon:${tag}`], io);
  if (code !== 0) throw new Error(`layerwise image history docker-daemon:${tag}: ${io.err}`);
  const ours = (JSON.parse(io.out) as { layers: { size: number; createdBy: string }[] }).layers;
  if (ours.length !== docker.length)
    throw new Error(`${tag}: layerwise image history has ${ours.length} rows, docker history ${docker.length}`);
  return ours.map((row, i) => ({
    createdBy: docker[i].createdBy,
    layerwiseCreatedBy: row.createdBy,
    docker: docker[i].size,
    layerwise: row.size,
  }));
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
    '| Dockerfile | created by (`docker history`, newest first) | `docker history` | `layerwise image history` |',
    '| --- | --- | ---: | ---: |',
  ];
  const bytes = (n: number) => `${n.toLocaleString('en-US')} B`;
  for (const [name, rows] of Object.entries(images))
    for (const row of [...rows].reverse()) {
      const createdBy = (marker ? row.createdBy.replaceAll(marker, '<run>') : row.createdBy).replaceAll('|', '\\|');
      const short = createdBy.length > 70 ? `${createdBy.slice(0, 67)}...` : createdBy;
      const cell = short ? `\`${short}\`` : '(base image, made by `docker import`)';
      lines.push(`| ${name} | ${cell} | ${bytes(row.docker)} | ${bytes(row.layerwise)} |`);
    }
  return lines.join('\n');
}

/** tar-stream as the oracle for our tar reader: the entry list it sees, in the same shape ours produces. */
import { Readable } from 'node:stream';
import * as tarStream from 'tar-stream';

export interface OracleEntry {
  name: string;
  type: string;
  size: number;
  linkname: string;
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
  body: string;
}

const TYPES: Record<string, string> = {
  file: 'file',
  'contiguous-file': 'file',
  link: 'hardlink',
  symlink: 'symlink',
  'character-device': 'char',
  'block-device': 'block',
  directory: 'directory',
  fifo: 'fifo',
};

export async function oracleEntries(archive: Uint8Array): Promise<OracleEntry[]> {
  const extract = tarStream.extract();
  const entries: OracleEntry[] = [];
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
      stream.on('end', () => {
        const type = TYPES[header.type ?? 'file'] ?? 'other';
        entries.push({
          name: header.name,
          type,
          size: type === 'file' ? (header.size ?? 0) : 0,
          linkname: header.linkname ?? '',
          mode: header.mode ?? 0,
          uid: header.uid ?? 0,
          gid: header.gid ?? 0,
          mtime: Math.floor((header.mtime?.getTime() ?? 0) / 1000),
          body: Buffer.concat(chunks).toString('base64'),
        });
        next();
      });
      stream.on('error', reject);
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  Readable.from([Buffer.from(archive)]).pipe(extract);
  await done;
  return entries;
}

export interface PackEntry {
  name: string;
  type?: 'file' | 'directory' | 'symlink' | 'link' | 'fifo' | 'character-device' | 'block-device';
  body?: Buffer;
  linkname?: string;
  mode?: number;
  uid?: number;
  gid?: number;
  mtime?: Date;
  devmajor?: number;
  devminor?: number;
  pax?: Record<string, string>;
}

/** Packs entries with tar-stream (ustar, with PAX records for long names as tar-stream writes them). */
export async function pack(entries: PackEntry[]): Promise<Buffer> {
  const packer = tarStream.pack();
  const chunks: Buffer[] = [];
  packer.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
  const finished = new Promise<void>((resolve, reject) => {
    packer.on('end', resolve);
    packer.on('error', reject);
  });
  for (const entry of entries) {
    const { body, ...header } = entry;
    await new Promise<void>((resolve, reject) =>
      packer.entry(
        {
          mtime: new Date(1_700_000_000_000),
          mode: entry.type === 'directory' ? 0o755 : 0o644,
          ...header,
          size: body?.length ?? 0,
        },
        body ?? Buffer.alloc(0),
        (error) => (error ? reject(error) : resolve()),
      ),
    );
  }
  packer.finalize();
  await finished;
  return Buffer.concat(chunks);
}

/**
 * Walks tar members over any block source: applies PAX (per-entry and global) and GNU long name/link records to the
 * member that follows them, refuses GNU sparse members, and reports truncation and corrupt headers as InputErrors
 * naming the archive and the byte offset. The stream reader and the random-access indexer share this walk.
 */
import { InputError } from '../../errors.js';
import {
  BLOCK,
  decodeHeader,
  entryType,
  HeaderError,
  isZeroBlock,
  padded,
  parsePax,
  type RawHeader,
  type TarHeader,
} from './header.js';

/** Where the walker gets bytes: a stream (skipping means reading) or a file (skipping is free). */
export interface BlockSource {
  /** Bytes consumed so far (the archive offset of the next read). */
  readonly position: number;
  /**
   * Exactly `length` bytes, or undefined when the archive ends cleanly before any of them. A view into a buffer
   * that is only valid until the next call.
   */
  read(length: number): Promise<Uint8Array | undefined>;
  /** Advances past `length` bytes; fails when the archive ends first. */
  skip(length: number): Promise<void>;
}

/** Largest PAX or GNU long-name record body accepted: names are short, a huge one is hostile. */
const MAX_META_BYTES = 1024 * 1024;

export class TarWalker {
  private globalPax: Record<string, string> = {};
  private ended = false;

  constructor(
    private readonly source: BlockSource,
    /** The archive's name for messages. */
    readonly what: string,
  ) {}

  /** The next member (with its data not yet consumed: the caller reads or skips `size` bytes + padding). */
  async next(): Promise<TarHeader | undefined> {
    if (this.ended) return undefined;
    let pax: Record<string, string> | undefined;
    let longName: string | undefined;
    let longLink: string | undefined;
    for (;;) {
      const offset = this.source.position;
      const block = await this.read(BLOCK, offset, 'in a header');
      if (!block) {
        if (pax || longName || longLink) throw this.truncated(offset, 'after an extended header');
        this.ended = true;
        return undefined;
      }
      if (isZeroBlock(block)) {
        // End of archive: a second zero block normally follows; tolerate its absence, ignore anything after.
        this.ended = true;
        return undefined;
      }
      let raw: RawHeader;
      try {
        raw = decodeHeader(block);
      } catch (error) {
        if (error instanceof HeaderError)
          throw new InputError(`${this.what}: invalid tar header at offset ${offset}: ${error.message}`);
        throw error;
      }
      if (raw.kind === 'entry') return this.member(raw, offset, pax, longName, longLink);
      if (raw.kind === 'gnu-sparse')
        throw new InputError(`${this.what}: ${raw.name}: GNU sparse files are not supported (offset ${offset})`);
      const body = await this.meta(raw, offset);
      if (raw.kind === 'gnu-longname') longName = cString(body);
      else if (raw.kind === 'gnu-longlink') longLink = cString(body);
      else {
        let records: Record<string, string>;
        try {
          records = parsePax(body);
        } catch (error) {
          if (error instanceof HeaderError) throw new InputError(`${this.what}: ${error.message} at offset ${offset}`);
          throw error;
        }
        if (raw.kind === 'pax-global') this.globalPax = { ...this.globalPax, ...records };
        else pax = { ...pax, ...records };
      }
    }
  }

  private async meta(raw: RawHeader, offset: number): Promise<Uint8Array> {
    if (raw.size > MAX_META_BYTES)
      throw new InputError(
        `${this.what}: extended header of ${raw.size} bytes at offset ${offset} exceeds the ${MAX_META_BYTES}-byte limit`,
      );
    const body = await this.read(padded(raw.size), offset, 'in an extended header');
    if (!body && raw.size > 0) throw this.truncated(offset, 'in an extended header');
    return Buffer.from((body ?? new Uint8Array()).subarray(0, raw.size));
  }

  private member(
    raw: RawHeader,
    offset: number,
    local: Record<string, string> | undefined,
    longName: string | undefined,
    longLink: string | undefined,
  ): TarHeader {
    const hasGlobal = Object.keys(this.globalPax).length > 0;
    const pax = hasGlobal || local ? { ...this.globalPax, ...local } : undefined;
    const header: TarHeader = {
      name: longName ?? raw.name,
      type: 'other',
      typeflag: raw.typeflag,
      size: raw.size,
      mode: raw.mode,
      uid: raw.uid,
      gid: raw.gid,
      mtime: raw.mtime,
      linkname: longLink ?? raw.linkname,
      uname: raw.uname,
      gname: raw.gname,
      devmajor: raw.devmajor,
      devminor: raw.devminor,
      offset,
      dataOffset: this.source.position,
    };
    if (pax) {
      header.pax = pax;
      if (Object.keys(pax).some((key) => key.startsWith('GNU.sparse.')))
        throw new InputError(`${this.what}: ${pax.path ?? header.name}: PAX sparse files are not supported (offset ${offset})`);
      if (pax.path) header.name = pax.path;
      if (pax.linkpath) header.linkname = pax.linkpath;
      if (pax.size !== undefined) header.size = paxNumber(pax.size, 'size', this.what, offset);
      if (pax.uid !== undefined) header.uid = paxNumber(pax.uid, 'uid', this.what, offset);
      if (pax.gid !== undefined) header.gid = paxNumber(pax.gid, 'gid', this.what, offset);
      if (pax.uname !== undefined) header.uname = pax.uname;
      if (pax.gname !== undefined) header.gname = pax.gname;
      if (pax.mtime !== undefined) header.mtime = Number(pax.mtime);
    }
    header.type = entryType(raw.typeflag, header.name);
    // Only regular files (and unknown types) carry data; Go's archive/tar ignores the size field of the others.
    if (header.type !== 'file' && header.type !== 'other') header.size = 0;
    return header;
  }

  private async read(length: number, offset: number, where: string): Promise<Uint8Array | undefined> {
    try {
      return await this.source.read(length);
    } catch (error) {
      if (error instanceof TruncatedError) throw this.truncated(offset, where);
      throw error;
    }
  }

  /** Skips a member's data (and padding) that the caller did not read. */
  async skipData(header: TarHeader, alreadyRead = 0): Promise<void> {
    const remaining = padded(header.size) - alreadyRead;
    if (remaining > 0) {
      try {
        await this.source.skip(remaining);
      } catch (error) {
        if (error instanceof TruncatedError) throw this.truncated(header.offset, `in the data of ${header.name}`);
        throw error;
      }
    }
  }

  truncated(offset: number, where: string): InputError {
    return new InputError(`${this.what}: truncated tar archive (ends ${where}, member at offset ${offset})`);
  }
}

/** Thrown by block sources when the archive ends in the middle of something. */
export class TruncatedError extends Error {}

function cString(body: Uint8Array): string {
  const end = body.indexOf(0);
  return Buffer.from(end < 0 ? body : body.subarray(0, end)).toString('utf8');
}

function paxNumber(value: string, key: string, what: string, offset: number): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number))
    throw new InputError(`${what}: invalid PAX ${key} ${JSON.stringify(value)} at offset ${offset}`);
  return number;
}

/**
 * Decoding one 512-byte tar header block (ustar, GNU and the PAX extension records), as pure functions. The readers
 * in this folder feed blocks in; this file never reads anything itself.
 */

export const BLOCK = 512;

export type TarEntryType = 'file' | 'hardlink' | 'symlink' | 'char' | 'block' | 'directory' | 'fifo' | 'other';

/** One member of a tar archive, after PAX and GNU long-name records have been applied to it. */
export interface TarHeader {
  name: string;
  type: TarEntryType;
  /** The raw typeflag character ('0', '5', …), for messages and for types we pass through as `other`. */
  typeflag: string;
  size: number;
  mode: number;
  uid: number;
  gid: number;
  /** Seconds since the epoch (fractional when PAX gives it). */
  mtime: number;
  linkname: string;
  uname: string;
  gname: string;
  devmajor: number;
  devminor: number;
  /** Byte offset of this member's (first) header block in the archive. */
  offset: number;
  /** Byte offset of the member's data: bodies can be read directly at `dataOffset .. dataOffset + size`. */
  dataOffset: number;
  /** PAX records that applied to this member (global ones included), when there were any. */
  pax?: Record<string, string>;
}

/** The kinds of raw header the readers handle differently. */
export type RawKind = 'entry' | 'pax' | 'pax-global' | 'gnu-longname' | 'gnu-longlink' | 'gnu-sparse';

export interface RawHeader {
  kind: RawKind;
  name: string;
  linkname: string;
  typeflag: string;
  size: number;
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
  uname: string;
  gname: string;
  devmajor: number;
  devminor: number;
}

/** Why a block is not a valid header; the readers turn this into an InputError naming the archive and offset. */
export class HeaderError extends Error {}

/** Whether a block is all zeros (the end-of-archive marker is two of these). */
export function isZeroBlock(block: Uint8Array): boolean {
  for (let i = 0; i < BLOCK; i += 1) if (block[i] !== 0) return false;
  return true;
}

function text(block: Uint8Array, start: number, length: number): string {
  let end = start;
  const limit = start + length;
  while (end < limit && block[end] !== 0) end += 1;
  return Buffer.from(block.buffer, block.byteOffset + start, end - start).toString('utf8');
}

/** A numeric field: octal text (NUL/space terminated), or GNU base-256 when the top bit of the first byte is set. */
export function numeric(block: Uint8Array, start: number, length: number, field: string): number {
  const first = block[start];
  if (first & 0x80) {
    if (first === 0xff) throw new HeaderError(`negative base-256 ${field}`);
    let value = first & 0x7f;
    for (let i = 1; i < length; i += 1) {
      value = value * 256 + block[start + i];
      if (value > Number.MAX_SAFE_INTEGER) throw new HeaderError(`${field} too large`);
    }
    return value;
  }
  let value = 0;
  let i = start;
  const end = start + length;
  while (i < end && (block[i] === 0x20 || block[i] === 0)) i += 1; // leading spaces (old tars) or an empty field
  for (; i < end; i += 1) {
    const c = block[i];
    if (c === 0 || c === 0x20) break;
    if (c < 0x30 || c > 0x37) throw new HeaderError(`invalid octal digit in ${field}`);
    value = value * 8 + (c - 0x30);
  }
  return value;
}

function checksumMatches(block: Uint8Array): boolean {
  const stored = numeric(block, 148, 8, 'checksum');
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i += 1) {
    const byte = i >= 148 && i < 156 ? 0x20 : block[i];
    unsigned += byte;
    signed += byte > 127 ? byte - 256 : byte;
  }
  return stored === unsigned || stored === signed;
}

const KINDS: Record<string, RawKind> = {
  x: 'pax',
  g: 'pax-global',
  L: 'gnu-longname',
  K: 'gnu-longlink',
  S: 'gnu-sparse',
};

/** Decodes a header block; throws HeaderError when its checksum or fields are invalid. */
export function decodeHeader(block: Uint8Array): RawHeader {
  if (!checksumMatches(block)) throw new HeaderError('header checksum mismatch (not a tar archive, or corrupt)');
  const typeflag = block[156] === 0 ? '\0' : String.fromCharCode(block[156]);
  let name = text(block, 0, 100);
  // POSIX ustar ("ustar\0" + "00") splits long names into prefix/name; GNU ("ustar  ") uses that area for other fields.
  const ustar = block[257] === 0x75 && block[262] === 0 && block[263] === 0x30 && block[264] === 0x30;
  if (ustar && block[345] !== 0) name = `${text(block, 345, 155)}/${name}`;
  return {
    kind: KINDS[typeflag] ?? 'entry',
    name,
    linkname: text(block, 157, 100),
    typeflag,
    size: numeric(block, 124, 12, 'size'),
    mode: numeric(block, 100, 8, 'mode'),
    uid: numeric(block, 108, 8, 'uid'),
    gid: numeric(block, 116, 8, 'gid'),
    mtime: numeric(block, 136, 12, 'mtime'),
    uname: text(block, 265, 32),
    gname: text(block, 297, 32),
    devmajor: numeric(block, 329, 8, 'devmajor'),
    devminor: numeric(block, 337, 8, 'devminor'),
  };
}

/** The entry type of a typeflag ('\0' with a trailing slash is an old-style directory). */
export function entryType(typeflag: string, name: string): TarEntryType {
  switch (typeflag) {
    case '0':
    case '7':
      return 'file';
    case '\0':
      return name.endsWith('/') ? 'directory' : 'file';
    case '1':
      return 'hardlink';
    case '2':
      return 'symlink';
    case '3':
      return 'char';
    case '4':
      return 'block';
    case '5':
      return 'directory';
    case '6':
      return 'fifo';
    default:
      return 'other';
  }
}

/** Parses PAX extended header records (`"%d %s=%s\n"`, the length counting the whole record). */
export function parsePax(body: Uint8Array): Record<string, string> {
  const records: Record<string, string> = {};
  let offset = 0;
  while (offset < body.length) {
    if (body[offset] === 0) break; // some writers pad the record area with NULs
    let space = offset;
    while (space < body.length && body[space] !== 0x20) space += 1;
    const length = Number(Buffer.from(body.subarray(offset, space)).toString('latin1'));
    if (!Number.isSafeInteger(length) || length <= space - offset + 1 || offset + length > body.length)
      throw new HeaderError('malformed PAX record');
    const record = Buffer.from(body.subarray(space + 1, offset + length - 1)).toString('utf8');
    if (body[offset + length - 1] !== 0x0a) throw new HeaderError('malformed PAX record (no newline)');
    const equals = record.indexOf('=');
    if (equals <= 0) throw new HeaderError('malformed PAX record (no key)');
    records[record.slice(0, equals)] = record.slice(equals + 1);
    offset += length;
  }
  return records;
}

/** Rounds a size up to whole blocks. */
export function padded(size: number): number {
  return Math.ceil(size / BLOCK) * BLOCK;
}

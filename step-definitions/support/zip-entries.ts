// Reads the entries of a zip archive from its central directory, enough for the secret scan to
// look inside Playwright traces. Supports stored (0) and deflated (8) entries and zip64 sizes,
// but neither decrypts nor spans disks.
import { inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  method: number;
  encrypted: boolean;
  compressedSize: number;
  size: number;
  /** Returns the entry's bytes. Throws for an encrypted entry or a method other than 0 or 8. */
  read(): Buffer;
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const ZIP64_END_LOCATOR = 0x07064b50;
const ZIP64_END_OF_CENTRAL_DIRECTORY = 0x06064b50;
const CENTRAL_DIRECTORY_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
const ZIP64_EXTRA_FIELD = 0x0001;
const MAX_COMMENT_LENGTH = 0xffff;
const MAX_ENTRY_SIZE = 512 * 1024 * 1024;

/** Tells whether the bytes start like a zip archive, including an empty one. */
export function looksLikeZip(bytes: Buffer): boolean {
  if (bytes.length < 4) return false;
  const signature = bytes.readUInt32LE(0);
  return signature === LOCAL_FILE_HEADER || signature === END_OF_CENTRAL_DIRECTORY;
}

/** Lists the entries of a zip archive. Throws when the central directory is missing or damaged. */
export function readZipEntries(zip: Buffer): ZipEntry[] {
  const end = findEndOfCentralDirectory(zip);
  let entryCount = zip.readUInt16LE(end + 10);
  let directoryOffset = zip.readUInt32LE(end + 16);

  // 0xffff and 0xffffffff mean that the real values sit in the zip64 record.
  if (entryCount === 0xffff || directoryOffset === 0xffffffff) {
    const zip64 = readZip64End(zip, end);
    entryCount = zip64.entryCount;
    directoryOffset = zip64.directoryOffset;
  }

  const entries: ZipEntry[] = [];
  let offset = directoryOffset;
  for (let index = 0; index < entryCount; index += 1) {
    const header = readCentralDirectoryHeader(zip, offset);
    entries.push(header.entry);
    offset = header.nextOffset;
  }
  return entries;
}

function findEndOfCentralDirectory(zip: Buffer): number {
  const lowest = Math.max(0, zip.length - 22 - MAX_COMMENT_LENGTH);
  for (let offset = zip.length - 22; offset >= lowest; offset -= 1) {
    if (zip.readUInt32LE(offset) === END_OF_CENTRAL_DIRECTORY) return offset;
  }
  throw new Error('zip end-of-central-directory record not found, so the file is truncated or not a zip archive');
}

function readZip64End(zip: Buffer, end: number): { entryCount: number; directoryOffset: number } {
  const locator = end - 20;
  if (locator < 0 || zip.readUInt32LE(locator) !== ZIP64_END_LOCATOR) {
    throw new Error('zip64 end-of-central-directory locator not found');
  }
  const record = toSafeNumber(zip.readBigUInt64LE(locator + 8));
  checkRange(zip, record, 56, 'zip64 end-of-central-directory record');
  if (zip.readUInt32LE(record) !== ZIP64_END_OF_CENTRAL_DIRECTORY) {
    throw new Error('zip64 end-of-central-directory record not found at the offset its locator gives');
  }

  return {
    entryCount: toSafeNumber(zip.readBigUInt64LE(record + 32)),
    directoryOffset: toSafeNumber(zip.readBigUInt64LE(record + 48)),
  };
}

function readCentralDirectoryHeader(zip: Buffer, offset: number): { entry: ZipEntry; nextOffset: number } {
  checkRange(zip, offset, 46, 'central directory header');
  if (zip.readUInt32LE(offset) !== CENTRAL_DIRECTORY_HEADER) {
    throw new Error(`zip central directory header not found at byte ${offset}`);
  }

  const flags = zip.readUInt16LE(offset + 8);
  const method = zip.readUInt16LE(offset + 10);
  const nameLength = zip.readUInt16LE(offset + 28);
  const extraLength = zip.readUInt16LE(offset + 30);
  const commentLength = zip.readUInt16LE(offset + 32);
  checkRange(zip, offset + 46, nameLength + extraLength, 'central directory name and extra field');

  // Bit 11 marks a UTF-8 name. Older tools wrote CP437, which latin1 approximates.
  const nameBytes = zip.subarray(offset + 46, offset + 46 + nameLength);
  const name = nameBytes.toString(flags & 0x0800 ? 'utf8' : 'latin1');
  const sizes = readSizes(zip, offset, zip.subarray(offset + 46 + nameLength, offset + 46 + nameLength + extraLength));

  const entry: ZipEntry = {
    name,
    method,
    encrypted: (flags & 0x0001) !== 0,
    compressedSize: sizes.compressedSize,
    size: sizes.size,
    read: () => readEntryData(zip, entry, sizes.localHeaderOffset),
  };
  return { entry, nextOffset: offset + 46 + nameLength + extraLength + commentLength };
}

function readSizes(zip: Buffer, header: number, extra: Buffer) {
  let size = zip.readUInt32LE(header + 24);
  let compressedSize = zip.readUInt32LE(header + 20);
  let localHeaderOffset = zip.readUInt32LE(header + 42);

  // The zip64 extra field contains, in this order, only the values whose 32-bit field is 0xffffffff.
  for (let offset = 0; offset + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(offset);
    const length = extra.readUInt16LE(offset + 2);
    if (id === ZIP64_EXTRA_FIELD) {
      let cursor = offset + 4;
      const next = () => {
        const value = toSafeNumber(extra.readBigUInt64LE(cursor));
        cursor += 8;
        return value;
      };
      if (size === 0xffffffff) size = next();
      if (compressedSize === 0xffffffff) compressedSize = next();
      if (localHeaderOffset === 0xffffffff) localHeaderOffset = next();
    }
    offset += 4 + length;
  }

  return { size, compressedSize, localHeaderOffset };
}

function readEntryData(zip: Buffer, entry: ZipEntry, localHeaderOffset: number): Buffer {
  if (entry.encrypted) throw new Error(`zip entry ${entry.name} is encrypted`);
  if (entry.size > MAX_ENTRY_SIZE) {
    throw new Error(`zip entry ${entry.name} declares ${entry.size} bytes, more than the ${MAX_ENTRY_SIZE}-byte limit`);
  }

  checkRange(zip, localHeaderOffset, 30, 'local file header');
  if (zip.readUInt32LE(localHeaderOffset) !== LOCAL_FILE_HEADER) {
    throw new Error(`zip local file header for ${entry.name} not found at byte ${localHeaderOffset}`);
  }
  // Sizes come from the central directory because streaming writers leave the local ones zero.
  const start = localHeaderOffset + 30 + zip.readUInt16LE(localHeaderOffset + 26) + zip.readUInt16LE(localHeaderOffset + 28);
  checkRange(zip, start, entry.compressedSize, `data of ${entry.name}`);
  const data = zip.subarray(start, start + entry.compressedSize);

  if (entry.method === 0) return data;
  if (entry.method === 8) return inflateRawSync(data, { maxOutputLength: Math.max(entry.size, 1) });
  throw new Error(`zip entry ${entry.name} uses compression method ${entry.method}, but only 0 (stored) and 8 (deflate) are supported`);
}

function checkRange(zip: Buffer, offset: number, length: number, what: string) {
  if (offset < 0 || offset + length > zip.length) {
    throw new Error(`zip ${what} lies outside the file (bytes ${offset}..${offset + length} of ${zip.length})`);
  }
}

function toSafeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`zip64 value ${value} is too large`);
  return Number(value);
}

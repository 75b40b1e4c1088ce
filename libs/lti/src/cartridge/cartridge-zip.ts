import { Readable } from 'node:stream';
import * as yauzl from 'yauzl';
import * as yazl from 'yazl';

/** The caps an uploaded archive is held to before and while it is inflated. */
export interface ZipLimits {
  /** The archive itself. */
  readonly archiveBytes: number;
  readonly entries: number;
  /** One file, inflated. */
  readonly entryBytes: number;
  /** Every file read, inflated, together. */
  readonly totalBytes: number;
  /** Inflated over compressed size past which a large file counts as a bomb. */
  readonly ratio: number;
}

export const CARTRIDGE_ZIP_LIMITS: ZipLimits = {
  archiveBytes: 10 * 1024 * 1024,
  entries: 2000,
  entryBytes: 2 * 1024 * 1024,
  totalBytes: 20 * 1024 * 1024,
  ratio: 100,
};

/** Past this size a file's compression ratio is checked: small text compresses well and is harmless. */
const RATIO_CHECKED_FROM = 256 * 1024;

export type ZipRefusal = 'not_a_zip' | 'too_large' | 'too_many_entries' | 'unsafe_path' | 'zip_bomb';

export class ZipRefused extends Error {
  constructor(
    readonly reason: ZipRefusal,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Zips files (deflated, fixed dates so the same course gives the same bytes). */
export function zipFiles(files: readonly { path: string; content: string }[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const file of files) {
    zip.addBuffer(Buffer.from(file.content, 'utf8'), file.path, { mtime: new Date(Date.UTC(2000, 0, 1)) });
  }
  zip.end();
  return collect(zip.outputStream as Readable, Number.POSITIVE_INFINITY);
}

/** An archive whose directory passed every check; files are inflated only when asked for, within the caps. */
export interface CheckedZip {
  readonly paths: readonly string[];
  /** The file's text; null when the archive has no such file. */
  read(path: string): Promise<string | null>;
}

/**
 * Opens an untrusted archive. Refused before anything is inflated: an archive over the size cap, too
 * many entries, a path that is absolute, climbs out with `..` or uses a drive or backslash (zip slip),
 * a file declared larger than the caps or compressed beyond the ratio (zip bomb). While inflating, the
 * bytes actually produced are counted against the same caps, so a directory that lies is caught too.
 */
export async function openZip(archive: Buffer, limits: ZipLimits = CARTRIDGE_ZIP_LIMITS): Promise<CheckedZip> {
  if (archive.length > limits.archiveBytes) {
    throw new ZipRefused('too_large', `The archive is larger than ${limits.archiveBytes} bytes`);
  }
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(archive, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true }, (error, file) =>
      error ? reject(new ZipRefused('not_a_zip', 'The file is not a zip archive', { cause: error })) : resolve(file),
    ),
  );
  if (zip.entryCount > limits.entries) {
    zip.close();
    throw new ZipRefused('too_many_entries', `The archive has more than ${limits.entries} entries`);
  }
  const entries = await readDirectory(zip, limits);
  let budget = limits.totalBytes;
  return {
    paths: [...entries.keys()],
    read: async (path) => {
      const entry = entries.get(path);
      if (!entry) return null;
      const stream = await new Promise<Readable>((resolve, reject) =>
        zip.openReadStream(entry, (error, s) => (error ? reject(error) : resolve(s))),
      );
      const content = await collect(stream, Math.min(limits.entryBytes, budget)).catch((error: unknown) => {
        throw error instanceof ZipRefused ? error : new ZipRefused('not_a_zip', `${path} cannot be inflated`);
      });
      budget -= content.length;
      return content.toString('utf8');
    },
  };
}

async function readDirectory(zip: yauzl.ZipFile, limits: ZipLimits): Promise<Map<string, yauzl.Entry>> {
  const entries = new Map<string, yauzl.Entry>();
  let declared = 0;
  await new Promise<void>((resolve, reject) => {
    zip.on('error', (error) => reject(new ZipRefused('not_a_zip', 'The zip archive is damaged', { cause: error })));
    zip.on('end', resolve);
    zip.on('entry', (entry: yauzl.Entry) => {
      try {
        const path = safePath(entry.fileName as unknown as Buffer);
        declared += entry.uncompressedSize;
        checkSizes(path, entry, declared, limits);
        if (!path.endsWith('/')) entries.set(path, entry);
        zip.readEntry();
      } catch (error) {
        zip.close();
        reject(error);
      }
    });
    zip.readEntry();
  });
  return entries;
}

function safePath(raw: Buffer): string {
  const path = raw.toString('utf8');
  const unsafe =
    path.length === 0 ||
    path.includes('\0') ||
    path.includes('\\') ||
    path.startsWith('/') ||
    /^[a-zA-Z]:/.test(path) ||
    path.split('/').some((segment) => segment === '..');
  if (unsafe)
    throw new ZipRefused('unsafe_path', `The archive holds an unsafe path: ${JSON.stringify(path.slice(0, 200))}`);
  return path;
}

function checkSizes(path: string, entry: yauzl.Entry, declared: number, limits: ZipLimits): void {
  if (entry.uncompressedSize > limits.entryBytes || declared > limits.totalBytes) {
    throw new ZipRefused('zip_bomb', `${path} inflates beyond the archive's size limits`);
  }
  const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
  if (entry.uncompressedSize >= RATIO_CHECKED_FROM && ratio > limits.ratio) {
    throw new ZipRefused('zip_bomb', `${path} is compressed ${Math.round(ratio)} to 1, which is refused`);
  }
}

/** Reads a stream to its end, failing as soon as it produces more than `cap` bytes. */
function collect(stream: Readable, cap: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > cap) {
        stream.destroy();
        reject(new ZipRefused('zip_bomb', 'A file of the archive inflates beyond the size limits'));
        return;
      }
      chunks.push(chunk);
    });
    stream.on('error', reject);
    stream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

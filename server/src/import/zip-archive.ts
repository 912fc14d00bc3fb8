import { unzipSync } from 'fflate';
import { ImportInputError } from './errors.ts';

export interface ZipLimits {
  /** More entries than this and the archive is refused before anything is inflated. */
  maxEntries: number;
  /** The sum of the declared uncompressed sizes of all entries. */
  maxTotalBytes: number;
}

// A BKG download holds a few dozen files of at most a few hundred MB (VG250); far more is no
// boundary data set but a mistake or a zip bomb.
export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 1_000, maxTotalBytes: 2 * 1024 ** 3 };

function isUnsafeName(name: string): boolean {
  const parts = name.split(/[\\/]/);
  return /^([\\/]|[a-zA-Z]:)/.test(name) || name.includes('\0') || parts.includes('..');
}

/**
 * Lists the archive's entries from its central directory without inflating anything, and
 * refuses it as a whole on a traversal name or when the limits are exceeded. Nothing is
 * written to disk, but a name like "../x" says the archive was not made for this purpose.
 */
export function listZipEntries(data: Uint8Array, file: string, limits: ZipLimits): string[] {
  const names: string[] = [];
  let total = 0;
  try {
    unzipSync(data, {
      filter: (entry) => {
        if (isUnsafeName(entry.name)) {
          throw new ImportInputError(file, `unsafe entry name "${entry.name}" (an absolute path or "..": path traversal); the archive is refused`);
        }
        total += entry.originalSize;
        if (names.length + 1 > limits.maxEntries) {
          throw new ImportInputError(file, `more than ${limits.maxEntries} entries; the archive is refused`);
        }
        if (total > limits.maxTotalBytes) {
          throw new ImportInputError(file, `uncompressed size exceeds ${limits.maxTotalBytes} bytes; the archive is refused (zip bomb?)`);
        }
        names.push(entry.name);
        return false;
      },
    });
  } catch (err) {
    if (err instanceof ImportInputError) throw err;
    throw new ImportInputError(file, `not a readable zip archive (${(err as Error).message})`, { cause: err });
  }
  return names;
}

/**
 * Inflates only the named entries. fflate writes an entry into a buffer of its declared size and
 * never grows it, so an entry that lies about its size is truncated, not allowed to fill memory;
 * the declared sizes were bounded by listZipEntries.
 */
export function extractZipEntries(data: Uint8Array, file: string, wanted: readonly string[]): Map<string, Uint8Array> {
  const set = new Set(wanted);
  try {
    const files = unzipSync(data, { filter: (entry) => set.has(entry.name) });
    return new Map(Object.entries(files));
  } catch (err) {
    // fflate's fixed-size output buffer overflows: the entry inflates to more than it declares.
    if (err instanceof RangeError) throw new ImportInputError(file, `an entry inflates to more than its declared size; the archive is refused (zip bomb?)`, { cause: err });
    throw new ImportInputError(file, `cannot extract ${wanted.join(', ')} (${(err as Error).message})`, { cause: err });
  }
}

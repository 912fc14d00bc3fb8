// Types of pglite-memory.mjs (plain JavaScript for the worker thread).
import type { Extension, PGlite } from '@electric-sql/pglite';

export const PGLITE_SETTINGS: Readonly<Record<string, string>>;
export function startParams(defaults: readonly string[]): string[];
export function filterTar(tar: Buffer, keep: (name: string) => boolean): Buffer;
export function lightPostgis(): Promise<Extension>;
export function releaseBundle(pgl: PGlite): void;

import { readFileSync } from 'node:fs';
import type { Database } from './db/index.ts';

// What the server's resident memory is made of (issue 18; docs/operations.md, "Memory"). `kill
// -USR2 <pid>` logs it (main.ts); `npm run bench -- memory` reads the same line.

const MiB = (bytes: number) => Math.round(bytes / 1048576);

/** A /proc file of this process; empty where there is none (not Linux). */
function proc(name: string): string {
  try {
    return readFileSync(`/proc/self/${name}`, 'utf8');
  } catch {
    return '';
  }
}

export interface MemoryReport {
  /** Resident set of the process, MiB. */
  rss: number;
  /** V8 heap used / reserved, external memory and ArrayBuffers of the main thread, MiB. */
  main: { heap_used: number; heap_total: number; external: number; array_buffers: number };
  /** Embedded backend: the same for the database's worker thread, and PGlite's WebAssembly
   *  memory (its size: it grows with the largest statement so far and never shrinks). */
  worker?: {
    heap_used: number; heap_total: number; external: number; array_buffers: number;
    wasm_memory: number; wasm_resident: number;
  };
  /** RSS less the V8 heaps, the ArrayBuffers and the WebAssembly memory's resident pages:
   *  compiled code (V8's and the WebAssembly libraries', which V8 counts into `external`),
   *  malloc (Node, libuv, the compilers), thread stacks, the node binary's own pages. */
  rest: number;
}

/** Resident bytes of the anonymous mapping of exactly `size` bytes (the WebAssembly memory:
 *  V8 maps it on its own, sized to the memory; after a growth it copies into a new mapping). */
function residentOfMapping(size: number): number {
  let resident = 0;
  let match = false;
  for (const line of proc('smaps').split('\n')) {
    const range = /^([0-9a-f]+)-([0-9a-f]+) /.exec(line);
    if (range) match = parseInt(range[2]!, 16) - parseInt(range[1]!, 16) === size;
    else if (match && line.startsWith('Rss:')) resident = Math.max(resident, Number(/(\d+)/.exec(line)![1]) * 1024);
  }
  return resident;
}

/** Resident memory of the running process and where it goes, in MiB. */
export async function memoryReport(db: Database): Promise<MemoryReport> {
  const u = process.memoryUsage();
  const rss = Number(/VmRSS:\s+(\d+) kB/.exec(proc('status'))?.[1] ?? 0) * 1024 || u.rss;
  const main = { heap_used: MiB(u.heapUsed), heap_total: MiB(u.heapTotal), external: MiB(u.external), array_buffers: MiB(u.arrayBuffers) };
  const w = db.memory ? await db.memory() : undefined;
  const worker = w && {
    heap_used: MiB(w.heapUsed), heap_total: MiB(w.heapTotal), external: MiB(w.external), array_buffers: MiB(w.arrayBuffers),
    wasm_memory: MiB(w.wasm), wasm_resident: MiB(residentOfMapping(w.wasm)),
  };
  // heap_total is what V8 holds, used or not. external includes array_buffers and V8's estimate
  // of its compiled WebAssembly modules, whose real pages are part of the rest.
  const accounted = main.heap_total + main.array_buffers + (worker ? worker.heap_total + worker.array_buffers + worker.wasm_resident : 0);
  return { rss: MiB(rss), main, ...(worker ? { worker } : {}), rest: MiB(rss) - accounted };
}

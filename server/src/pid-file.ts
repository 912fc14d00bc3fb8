import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const FILE = 'server.pid';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid of a live process holding the embedded database in dataDir, if any. */
export async function runningPid(dataDir: string): Promise<number | null> {
  const raw = await readFile(join(dataDir, FILE), 'utf8').catch(() => null);
  const pid = raw ? Number.parseInt(raw, 10) : NaN;
  return Number.isInteger(pid) && pid !== process.pid && alive(pid) ? pid : null;
}

/** Claims dataDir for this process; a stale file from a killed process is taken over. */
export async function acquirePidFile(dataDir: string): Promise<void> {
  const pid = await runningPid(dataDir);
  if (pid !== null) {
    throw new Error(`the embedded database in ${dataDir} is in use by process ${pid}; stop it first`);
  }
  await writeFile(join(dataDir, FILE), String(process.pid));
}

export async function releasePidFile(dataDir: string): Promise<void> {
  const pid = await readFile(join(dataDir, FILE), 'utf8').catch(() => '');
  if (pid.trim() === String(process.pid)) await rm(join(dataDir, FILE), { force: true });
}

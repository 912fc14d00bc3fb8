import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { ROOT } from './paths.ts';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * How node starts the server: from the TypeScript sources under tsx, or the bundle that
 * `npm run build` writes (server/dist/main.mjs, what the Dockerfile runs). TEST_SERVER=built
 * makes tests and benchmarks start the bundle, which must have been built.
 */
export const SERVER_COMMANDS = {
  source: ['--import', 'tsx', 'server/src/main.ts'],
  // As the Dockerfile and npm start run it: the V8 heap grows by at most a fifth between full
  // collections (docs/operations.md, "Memory").
  built: ['--heap-growing-percent=20', 'server/dist/main.mjs'],
} as const;
const defaultCommand = () => SERVER_COMMANDS[process.env.TEST_SERVER === 'built' ? 'built' : 'source'];

/** Starts the real server as its own process and waits for /api/health. */
export async function startServer(env: Record<string, string>, timeoutMs = 90_000, command: readonly string[] = defaultCommand()): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, command, {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const proc: ServerProcess = {
    child,
    url,
    output: () => out,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
  const deadline = Date.now() + timeoutMs;
  let done = false;
  void exited.then(() => (done = true));
  while (Date.now() < deadline && !done) {
    const ok = await fetch(`${url}/api/health`).then((r) => r.ok, () => false);
    if (ok) return proc;
    await new Promise((r) => setTimeout(r, 200));
  }
  await proc.stop('SIGKILL');
  throw new Error(`server did not become healthy:\n${out}`);
}

/** Starts a process expected to fail at start; resolves with its exit code and output. */
export async function startExpectingFailure(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, defaultCommand(), {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, output: out };
}

/** Logs in to a running server over HTTP; returns the headers a browser would send back. */
export async function httpLogin(url: string, role = 'coordinator'): Promise<Record<string, string>> {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: `${role}@demo.local`, password: 'demo' }) });
  if (res.status !== 200) throw new Error(`login as ${role} failed: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const { csrf_token } = (await res.json()) as { csrf_token: string };
  return { cookie, 'x-csrf-token': csrf_token, 'content-type': 'application/json' };
}

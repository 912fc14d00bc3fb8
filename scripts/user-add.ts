// npm run user:add -- --email a@b.de --role coordinator [--name "…"] [--districts 01053,01062] [--organisation "…"]
// The password is read from the environment (USER_PASSWORD) or prompted, never from the command line.
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline/promises';
import { join } from 'node:path';
import { ROLES, type Role } from '@ilk/core';
import { loadConfig } from '../server/src/config.ts';
import { openDatabase } from '../server/src/db/index.ts';
import { migrate } from '../server/src/db/migrate.ts';
import { runningPid } from '../server/src/pid-file.ts';
import { addUser } from '../server/src/seed/accounts.ts';

async function readPassword(): Promise<string> {
  if (process.env.USER_PASSWORD) return process.env.USER_PASSWORD;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const pw = await rl.question('Password (min. 10 characters): ');
  rl.close();
  return pw;
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { email: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' }, districts: { type: 'string' }, organisation: { type: 'string' } } });
  if (!values.email || !values.role || !(ROLES as readonly string[]).includes(values.role)) {
    console.error(`usage: npm run user:add -- --email <address> --role <${ROLES.join('|')}> [--name <name>] [--districts <Kreis ARS,...>] [--organisation <name>]`);
    return 2;
  }
  const config = loadConfig();
  if (!config.databaseUrl && (await runningPid(config.dataDir)) !== null) {
    console.error(`the app is running on ${config.dataDir}; stop it first (the embedded database has one owner)`);
    return 1;
  }
  const db = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: join(config.dataDir, 'pglite') });
  try {
    await migrate(db, config.migrationsDir);
    const districts = values.districts?.split(',').map((d) => d.trim().padEnd(12, '0')) ?? [];
    const id = await addUser(db, { email: values.email, password: await readPassword(), role: values.role as Role, display_name: values.name ?? null, districts, organisation: values.organisation ?? null });
    if (!id) {
      console.error(`a user with the e-mail ${values.email} exists already`);
      return 1;
    }
    console.log(`created user ${id}: ${values.email} (${values.role})`);
    return 0;
  } catch (err) {
    console.error(`user:add failed: ${(err as Error).message}`);
    return 1;
  } finally {
    await db.close();
  }
}

process.exit(await main());

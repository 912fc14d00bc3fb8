import type { FastifyBaseLogger } from 'fastify';
import type { Role } from '@ilk/core';
import type { Config } from '../config.ts';
import type { Database } from '../db/index.ts';
import * as users from '../repositories/users.repository.ts';
import * as demo from '../repositories/demo.repository.ts';
import { hashPassword, passwordProblems } from '../services/passwords.ts';

export const DEMO_ACCOUNTS: { email: string; role: Role; display_name: string; organisation?: string }[] = [
  { email: 'admin@demo.local', role: 'admin', display_name: 'Demo Admin' },
  { email: 'coordinator@demo.local', role: 'coordinator', display_name: 'Demo Koordination' },
  { email: 'ministry@demo.local', role: 'ministry', display_name: 'Demo Ministerium' },
  { email: 'analyst@demo.local', role: 'analyst', display_name: 'Demo Analyse' },
  { email: 'partner@demo.local', role: 'partner', display_name: 'Demo Partner', organisation: 'Migrationsberatung Demo-Förde' },
];

/** Creates a user with the password policy applied; coordinators get the given Kreise. */
export async function addUser(db: Database, u: { email: string; password: string; role: Role; display_name?: string | null; districts?: string[]; organisation?: string | null }, enforcePolicy = true): Promise<number | undefined> {
  if (enforcePolicy) {
    const problems = passwordProblems(u.password, u.email);
    if (problems.length) throw new Error(`password ${problems.join(', ')}`);
  }
  const hash = await hashPassword(u.password);
  return db.transaction(async (tx) => {
    const id = await users.create(tx, { email: u.email, display_name: u.display_name ?? null, role: u.role, password_hash: hash, organisation: u.organisation ?? null });
    if (id && u.districts?.length) await users.addDistricts(tx, id, u.districts);
    return id;
  });
}

/**
 * The first admin from ADMIN_EMAIL/ADMIN_PASSWORD, and while the demo district is present one
 * account per role with DEMO_PASSWORD, its coordinator for the demo Kreise only. Demo accounts are refused in production: a known password must
 * never guard real data.
 */
export async function ensureInitialAccounts(db: Database, config: Config, log: FastifyBaseLogger): Promise<void> {
  if (config.adminEmail && config.adminPassword) {
    const id = await addUser(db, { email: config.adminEmail, password: config.adminPassword, role: 'admin', display_name: 'Administrator' });
    if (id) log.info({ email: config.adminEmail }, 'created the first admin account from ADMIN_EMAIL');
  }
  // The demo Kreise only: a known password must not open a real district imported beside them.
  const districts = await demo.kreisArs(db);
  if (districts.length === 0) return;
  if (config.production) {
    log.warn('NODE_ENV=production: the demo accounts are not created');
    return;
  }
  let created = 0;
  for (const a of DEMO_ACCOUNTS) {
    const id = await addUser(db, { ...a, password: config.demoPassword, districts: a.role === 'coordinator' ? districts : [] }, false);
    if (id) created++;
  }
  log.info(`demo accounts (${DEMO_ACCOUNTS.map((a) => a.email).join(', ')}) use the password "${config.demoPassword}" (DEMO_PASSWORD)${created ? `; ${created} created` : ''}`);
}

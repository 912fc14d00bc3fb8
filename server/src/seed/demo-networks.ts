import type { Queryable } from '../db/index.ts';

// A few provider networks for the fictional demo district, so the directory's network filter
// has something to show. Called after the demo seed (migrations run before it on a fresh
// database, so a migration cannot do this); does nothing outside the demo district.
export const DEMO_KREIS = '010990000000';

const DEMO_NETWORKS = [
  {
    name: 'Netzwerk Sprache Nord', category: 'sprache', role: 'Kursträger',
    description: 'Abstimmung der Sprachkursträger: Kurszeiten, Wartelisten und Kinderbetreuung während der Kurse.',
    contact_name: 'Frauke Demo', contact_email: 'netzwerk-sprache@example.org', contact_phone: '040 66969-201',
  },
  {
    name: 'Runder Tisch Gesundheit Demo-Förde', category: 'gesundheit', role: 'Praxis',
    description: 'Praxen und Beratungsstellen: Sprachmittlung, Terminvergabe und psychosoziale Versorgung.',
    contact_name: 'Dr. Jan Beispiel', contact_email: 'runder-tisch-gesundheit@example.org', contact_phone: '040 66969-202',
  },
  {
    name: 'Netzwerk Arbeit und Ausbildung', category: 'arbeit', role: 'Partner',
    description: 'Jobcenter, Kammern und Bildungsträger: Anerkennung, Ausbildung und Vermittlung.',
    contact_name: 'Aylin Muster', contact_email: 'netzwerk-arbeit@example.org', contact_phone: '040 66969-203',
  },
] as const;

const INSERT_NETWORK = `
  INSERT INTO networks (name, category_key, region_id, description, contact_name, contact_email, contact_phone)
  SELECT $1, $2, r.id, $3, $4, $5, $6 FROM regions r WHERE r.level = 'kreis' AND r.ars = $7
  ON CONFLICT (name) DO NOTHING
  RETURNING id`;

// The providers with offers of the network's topic in the Kreis, at most eight, by key.
const INSERT_MEMBERS = `
  INSERT INTO network_members (network_id, provider_id, role)
  SELECT $1, p.id, $3 FROM providers p
   WHERE EXISTS (SELECT 1 FROM offers o JOIN regions g ON g.id = o.region_id
                  WHERE o.provider_id = p.id AND o.category_key = $2 AND left(g.ars, 5) = left($4, 5))
   ORDER BY p.external_id, p.id LIMIT 8`;

/**
 * Adds the demo networks once; returns how many were created (0 when present or not the demo).
 * Runs inside the caller's transaction (the demo seed's), so the district appears whole or not at all.
 */
export async function seedDemoNetworks(tx: Queryable): Promise<number> {
  let created = 0;
  for (const n of DEMO_NETWORKS) {
    const { rows } = await tx.query<{ id: number }>(INSERT_NETWORK, [n.name, n.category, n.description, n.contact_name, n.contact_email, n.contact_phone, DEMO_KREIS]);
    const id = rows[0]?.id;
    if (id === undefined) continue;
    await tx.query(INSERT_MEMBERS, [id, n.category, n.role, DEMO_KREIS]);
    created++;
  }
  return created;
}

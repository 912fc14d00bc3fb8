import type { Random } from './random.ts';

/** Calendar arithmetic on ISO dates in UTC, so the time zone of the machine cannot matter. */
const DAY_MS = 86_400_000;

export function addDays(isoDate: string, days: number): string {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

export function randomDate(rng: Random, from: string, to: string): string {
  return addDays(from, rng.int(0, daysBetween(from, to)));
}

/** A timestamp during office hours, as a person would have entered it. */
export function randomTimestamp(rng: Random, from: string, to: string): string {
  const minutes = rng.int(8 * 60, 17 * 60);
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${randomDate(rng, from, to)}T${hh}:${mm}:00Z`;
}

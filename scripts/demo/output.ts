import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Feature } from 'geojson';

/**
 * Byte-stable serialisation. Plain JSON is pretty-printed; a FeatureCollection gets one feature
 * per line, which keeps coordinate arrays compact and makes a diff show which region changed.
 */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function featureCollectionText(features: readonly Feature[]): string {
  const lines = features.map((f) => `    ${JSON.stringify(f)}`);
  return `{\n  "type": "FeatureCollection",\n  "features": [\n${lines.join(',\n')}\n  ]\n}\n`;
}

export function writeFiles(outDir: string, files: ReadonlyMap<string, string>): void {
  mkdirSync(outDir, { recursive: true });
  for (const [name, text] of files) writeFileSync(join(outDir, name), text, 'utf8');
}

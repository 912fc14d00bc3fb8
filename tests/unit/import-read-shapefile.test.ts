import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readShapefile } from '../../server/src/import/read-shapefile.ts';
import { OFFICIAL_DIR } from '../helpers/paths.ts';

// Fixtures are made here, in a temporary directory, from the real files: nothing official is
// copied into the repository.
const VG = join(OFFICIAL_DIR, 'bkg-vg5000-2021');
const inLauenburg = (p: Record<string, unknown>) => String(p.ARS).startsWith('01053');
let dir: string;

async function layerFiles(layer: string, exts: string[], folder = 'vg5000_ebenen_0101'): Promise<Record<string, Uint8Array>> {
  const entries = await Promise.all(exts.map(async (ext) => [`${folder}/${layer}.${ext}`, new Uint8Array(await readFile(join(VG, `${layer}.${ext}`)))] as const));
  return Object.fromEntries(entries);
}

async function writeZip(name: string, files: Record<string, Uint8Array>): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, zipSync(files, { level: 1 }));
  return path;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ilk-shp-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('readShapefile from a directory', () => {
  it('reads the real Gemeinde layer with its CRS, filtered to one Kreis', async () => {
    const layer = await readShapefile(join(VG, 'VG5000_GEM.shp'), { filter: inLauenburg });
    expect(layer.srid).toBe(31467);
    expect(layer.features).toHaveLength(133);
    expect(layer.allProperties).toHaveLength(10997);
    expect(layer.features.map((f) => f.properties.GEN)).toContain('Mölln');
  });

  it('refuses a shapefile without .prj and names the file', async () => {
    const sub = join(dir, 'no-prj');
    await mkdir(sub);
    for (const ext of ['shp', 'shx', 'dbf']) await symlink(join(VG, `VG5000_VWG.${ext}`), join(sub, `VG5000_VWG.${ext}`));
    await expect(readShapefile(join(sub, 'VG5000_VWG.shp'))).rejects.toThrow(`${join(sub, 'VG5000_VWG.shp')}: no vg5000_vwg.prj beside it`);
  });

  it('decodes a UTF-8 table without .cpg as UTF-8', async () => {
    const sub = join(dir, 'no-cpg');
    await mkdir(sub);
    for (const ext of ['shp', 'dbf', 'prj']) await symlink(join(VG, `VG5000_VWG.${ext}`), join(sub, `VG5000_VWG.${ext}`));
    const layer = await readShapefile(join(sub, 'VG5000_VWG.shp'), { filter: inLauenburg });
    expect(layer.features.map((f) => f.properties.GEN)).toContain('Büchen');
  });

  it('names a missing file, a directory and a wrong kind of file', async () => {
    await expect(readShapefile(join(dir, 'nope.shp'))).rejects.toThrow(`${join(dir, 'nope.shp')}: file not found`);
    await mkdir(join(dir, 'folder.shp'));
    await expect(readShapefile(join(dir, 'folder.shp'))).rejects.toThrow('is a directory, not a file');
    await expect(readShapefile(join(dir, 'layer.geojson'))).rejects.toThrow('expected a .shp file or a .zip archive');
  });
});

describe('readShapefile from a .zip', () => {
  it('picks the layer by name from an archive with several and reads it like the directory', async () => {
    const zip = await writeZip('vg5000.zip', {
      ...(await layerFiles('VG5000_GEM', ['shp', 'dbf', 'prj', 'cpg'])),
      ...(await layerFiles('VG5000_KRS', ['shp', 'dbf', 'prj', 'cpg'])),
    });
    const gem = await readShapefile(zip, { layerHint: 'GEM', filter: inLauenburg });
    expect(gem.file).toBe(`${zip}#vg5000_ebenen_0101/VG5000_GEM.shp`);
    expect(gem.srid).toBe(31467);
    expect(gem.features).toHaveLength(133);
    const krs = await readShapefile(`${zip}#VG5000_KRS`, { filter: inLauenburg });
    expect(krs.features.map((f) => f.properties.GEN)).toEqual(['Herzogtum Lauenburg']);
    await expect(readShapefile(zip)).rejects.toThrow(/several shapefiles \(VG5000_GEM\.shp, VG5000_KRS\.shp\); name one as vg5000\.zip#NAME/);
  });

  it('refuses a layer without .prj in the archive', async () => {
    const zip = await writeZip('no-prj.zip', await layerFiles('VG5000_KRS', ['shp', 'dbf']));
    await expect(readShapefile(zip)).rejects.toThrow(`${zip}#vg5000_ebenen_0101/VG5000_KRS.shp: no .prj beside it in the archive`);
  });

  it('refuses path traversal and absolute entry names', async () => {
    const tiny = new Uint8Array([1, 2, 3]);
    const traversal = await writeZip('traversal.zip', { 'data/../../evil.shp': tiny });
    await expect(readShapefile(traversal)).rejects.toThrow(`${traversal}: unsafe entry name "data/../../evil.shp"`);
    const absolute = await writeZip('absolute.zip', { '/etc/evil.shp': tiny });
    await expect(readShapefile(absolute)).rejects.toThrow('unsafe entry name "/etc/evil.shp"');
  });

  it('refuses archives over the entry count or uncompressed size limits before inflating', async () => {
    const many = await writeZip('many.zip', Object.fromEntries([1, 2, 3, 4].map((i) => [`f${i}.txt`, new Uint8Array(1)])));
    await expect(readShapefile(many, { zipLimits: { maxEntries: 3 } })).rejects.toThrow('more than 3 entries');
    const bomb = await writeZip('bomb.zip', { 'zeros.shp': new Uint8Array(4 * 1024 * 1024) });
    await expect(readShapefile(bomb, { zipLimits: { maxTotalBytes: 1024 * 1024 } })).rejects.toThrow(/uncompressed size exceeds 1048576 bytes.*zip bomb/);
  });

  it('refuses a file that is no zip archive', async () => {
    const fake = join(dir, 'fake.zip');
    await writeFile(fake, 'not a zip');
    await expect(readShapefile(fake)).rejects.toThrow(`${fake}: not a readable zip archive`);
  });
});

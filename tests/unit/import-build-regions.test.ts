import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { buildRegions, type BuildInput } from '../../server/src/import/build-regions.ts';
import { parseRegister } from '../../server/src/import/destatis.ts';
import type { PolygonFeature, ShapefileLayer } from '../../server/src/import/read-shapefile.ts';

const square = (x: number): Polygon => ({ type: 'Polygon', coordinates: [[[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]]] });
const feature = (ARS: string, GEN: string, x: number, GF = 9, extra: Record<string, unknown> = {}): PolygonFeature => ({
  geometry: square(x), properties: { ARS, AGS: ARS.length === 12 ? ARS.slice(0, 5) + ARS.slice(9) : '--------', GEN, BEZ: ARS.length === 12 ? 'Gemeinde' : 'Amt', GF, ...extra },
});
const layer = (file: string, features: PolygonFeature[]): ShapefileLayer => ({ file, srid: 31467, features, allProperties: features.map((f) => f.properties) });

const HEADER = 'satzart,textkennzeichen,land,rb,kreis,vb,gemeinde,gemeindename,flaeche,bevoelkerung,maennlich,weiblich,jekm2,postleitzahl,laengengrad,breitengrad,schluessel,bezeichnung,verstaedterungschluessel,verstaedterungbezeichnung';
const register = parseRegister([
  HEADER,
  '10,,01,,,,,Schleswig-Holstein,,,,,,,,,,,,',
  '40,44,01,9,99,,,Testkreis,,,,,,,,,,,,',
  '60,64,01,9,99,0001,001,Alpha, 1.0, 100,,,,,"10,1","53,5",,,,',
  '60,64,01,9,99,0002,003,Gamma, 1.0, 50,,,,,"10,2","53,5",,,,',
  '60,64,01,9,99,0001,004,Delta (merged), 1.0, 1 007,,,,,"10,3","53,5",,,,',
].join('\n'), 'gv.csv');

const input = (over: Partial<BuildInput> = {}): BuildInput => ({
  scope: { level: 'kreis', key: '01999' },
  gemeinden: layer('GEM.shp', [
    feature('019990001001', 'Alpha', 0), feature('019990001001', 'Alpha', 5, 9), feature('019990001001', 'Alpha', 9, 2),
    feature('019990001002', 'Beta', 1), feature('019990002003', 'Gamma', 2), feature('018880000000', 'Elsewhere', 3),
  ]),
  verbaende: layer('VWG.shp', [feature('019990001', 'Amt Eins', 0), feature('019990009', 'Leer', 7)]),
  register,
  populationDate: '2019-12-31',
  ...over,
});

describe('buildRegions', () => {
  it('joins boundaries and register into Kreis > Verband > Gemeinde, parents first', () => {
    const { scope, levels } = buildRegions(input());
    expect(scope).toEqual({ level: 'kreis', key: '01999', name: 'Testkreis' });
    expect(levels.map((l) => [l.level, l.rows.length])).toEqual([['kreis', 1], ['verband', 2], ['gemeinde', 3]]);
    const [kreis, verband, gemeinde] = levels.map((l) => l.rows);
    expect(kreis![0]).toMatchObject({ ars: '019990000000', ags: '01999', kind: 'Landkreis', parent_level: 'land', parent_ars: '010000000000', population: 100, geometry: null });
    expect(verband![0]).toMatchObject({ ars: '019990001000', ags: null, name: 'Amt Eins', parent_ars: '019990000000', population: 100, population_date: '2019-12-31' });
    expect(verband![1]).toMatchObject({ name: 'Leer', population: null, population_date: null });
    expect(gemeinde!.map((g) => [g.ags, g.population, g.population_date, g.parent_ars])).toEqual([
      ['01999001', 100, '2019-12-31', '019990001000'], ['01999002', null, null, '019990001000'], ['01999003', 50, '2019-12-31', '019990002000'],
    ]);
  });

  it('drops water features and merges the land parts of one Gemeinde into one MultiPolygon', () => {
    const { levels, report } = buildRegions(input());
    const alpha = JSON.parse(levels[2]!.rows[0]!.geometry!) as { type: string; coordinates: unknown[] };
    expect(alpha.type).toBe('MultiPolygon');
    expect(alpha.coordinates).toHaveLength(2);
    expect(report.waterDropped).toEqual({ 'GEM.shp': 1 });
    expect(report.mergedParts).toEqual([{ level: 'gemeinde', key: '019990001001', name: 'Alpha', parts: 2 }]);
  });

  it('reports every key it could not match, in both directions', () => {
    const { report } = buildRegions(input());
    expect(report.boundaryWithoutRegister).toEqual([{ key: '01999002', name: 'Beta' }]);
    expect(report.registerWithoutBoundary).toEqual([{ key: '01999004', name: 'Delta (merged)', population: 1007, lon: 10.3, lat: 53.5 }]);
    expect(report.gemeindenWithoutVerband).toEqual([{ key: '01999003', name: 'Gamma' }]);
    expect(report.verbaendeWithoutGemeinden).toEqual([{ key: '019990009', name: 'Leer' }]);
    expect([report.matchedGemeinden, report.matchedPopulation]).toEqual([2, 150]);
  });

  it('adds the Land for a Land import, named from the register when no Land layer is given', () => {
    const { scope, levels } = buildRegions(input({ scope: { level: 'land', key: '01' } }));
    expect(scope.name).toBe('Schleswig-Holstein');
    expect(levels[0]!.rows).toEqual([expect.objectContaining({ level: 'land', ars: '010000000000', ags: '01', parent_ars: null, population: 100, geometry: null })]);
    expect(levels[3]!.rows.map((g) => g.name)).toContain('Elsewhere');
  });

  it('refuses an unknown key, a wrong layer and an unknown Geofaktor, naming the file', () => {
    expect(() => buildRegions(input({ scope: { level: 'kreis', key: '01777' } }))).toThrow('GEM.shp: no Gemeinde with a key starting with 01777: unknown Kreis key?');
    expect(() => buildRegions(input({ gemeinden: input().verbaende }))).toThrow('VWG.shp: ARS "019990001" is not a 12-digit key');
    expect(() => buildRegions(input({ verbaende: layer('VWG.shp', [feature('019990001', 'Amt', 0, 5)]) }))).toThrow('VWG.shp: unknown Geofaktor GF=5');
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImportInputError } from '../../server/src/import/errors.ts';
import { epsgFromPrj } from '../../server/src/import/prj.ts';
import { OFFICIAL_DIR } from '../helpers/paths.ts';

const GK = (zone: number, authority = '') =>
  `PROJCS["DHDN_3_Degree_Gauss_Zone_${zone}",GEOGCS["GCS_Deutsches_Hauptdreiecksnetz",DATUM["D_Deutsches_Hauptdreiecksnetz",` +
  `SPHEROID["Bessel_1841",6377397.155,299.1528128]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],` +
  `PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",${zone}500000.0],PARAMETER["False_Northing",0.0],` +
  `PARAMETER["Central_Meridian",${zone * 3}.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]${authority}]`;
const UTM = (name: string, falseEasting: number) =>
  `PROJCS["${name}",GEOGCS["GCS_ETRS_1989",DATUM["D_ETRS_1989",SPHEROID["GRS_1980",6378137.0,298.257222101]],` +
  `PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],` +
  `PARAMETER["False_Easting",${falseEasting}],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",9.0],` +
  `PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`;

describe('epsgFromPrj', () => {
  it('reads the outermost AUTHORITY of the real VG5000 .prj, not a nested one', () => {
    const file = join(OFFICIAL_DIR, 'bkg-vg5000-2021', 'VG5000_GEM.prj');
    expect(epsgFromPrj(readFileSync(file, 'utf8'), file)).toBe(31467);
  });

  it('takes a WKT2 ID on the root', () => {
    expect(epsgFromPrj('PROJCRS["ETRS89 / UTM zone 32N",BASEGEOGCRS["ETRS89",ID["EPSG",4258]],' +
      'CS[Cartesian,2],AXIS["(E)",east],AXIS["(N)",north],ID["EPSG",25832]]', 'x.prj')).toBe(25832);
  });

  it.each([[2, 31466], [3, 31467], [4, 31468], [5, 31469]])('knows DHDN Gauss-Krüger zone %i by name', (zone, code) => {
    expect(epsgFromPrj(GK(zone), 'x.prj')).toBe(code);
  });

  it('knows ETRS89 UTM 32N and 33N by their ESRI and EPSG names', () => {
    expect(epsgFromPrj(UTM('ETRS_1989_UTM_Zone_32N', 500000), 'x.prj')).toBe(25832);
    expect(epsgFromPrj(UTM('ETRS89 / UTM zone 33N', 500000), 'x.prj')).toBe(25833);
  });

  it('knows WGS 84 by name', () => {
    expect(epsgFromPrj('GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],' +
      'PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]', 'x.prj')).toBe(4326);
  });

  it('does not take the zone-prefixed UTM variant (false easting 32500000) for EPSG:25832', () => {
    expect(() => epsgFromPrj(UTM('ETRS89_UTM_zone_32N_zE-N', 32500000), 'x.prj')).toThrow(ImportInputError);
  });

  it('names the file and the system when it does not know it', () => {
    expect(() => epsgFromPrj(UTM('Lambert_Somewhere', 0), '/data/a.prj')).toThrow(/^\/data\/a\.prj: unknown coordinate reference system "Lambert_Somewhere"/);
  });

  it('refuses text that is no WKT', () => {
    expect(() => epsgFromPrj('PROJCS["broken",GEOGCS[', 'b.prj')).toThrow(/^b\.prj: not a readable WKT/);
    expect(() => epsgFromPrj('', 'c.prj')).toThrow(/^c\.prj: not a readable WKT/);
  });
});

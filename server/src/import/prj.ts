import { ImportInputError } from './errors.ts';

// A .prj holds WKT1 (ESRI or OGC flavour) or, from newer tools, WKT2. Both nest as
// KEYWORD[ "name", number, CHILD[...], ... ]; a tiny parser reads the tree so that the EPSG code
// of the outermost node is taken, not that of a nested datum or unit.
interface WktNode {
  keyword: string;
  values: (string | number | WktNode)[];
}

const TOKEN = /\s*(?:([A-Za-z_][A-Za-z0-9_]*)\s*([[(])?|"((?:[^"]|"")*)"|([-+]?[0-9.]+(?:[eE][-+]?\d+)?)|([\])])|(,))/y;

function parseWkt(wkt: string): WktNode {
  const text = wkt.replace(/^\uFEFF/, '').trim();
  const stack: WktNode[] = [];
  let root: WktNode | undefined;
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const m = TOKEN.exec(text);
    if (!m) throw new Error(`unexpected text at position ${TOKEN.lastIndex}`);
    const top = stack[stack.length - 1];
    if (m[1] !== undefined && m[2] !== undefined) {
      const node: WktNode = { keyword: m[1].toUpperCase(), values: [] };
      if (top) top.values.push(node);
      else if (root) throw new Error('more than one root element');
      else root = node;
      stack.push(node);
    } else if (m[1] !== undefined) top?.values.push(m[1]); // a bare enumeration value, e.g. AXIS["x",east]
    else if (m[3] !== undefined) top?.values.push(m[3].replaceAll('""', '"'));
    else if (m[4] !== undefined) top?.values.push(Number(m[4]));
    else if (m[5] !== undefined && !stack.pop()) throw new Error('unbalanced brackets');
  }
  if (!root || stack.length > 0) throw new Error('unbalanced brackets');
  return root;
}

function child(node: WktNode, ...keywords: string[]): WktNode | undefined {
  return node.values.find((v): v is WktNode => typeof v !== 'string' && typeof v !== 'number' && keywords.includes(v.keyword));
}

function parameter(node: WktNode, name: string): number | undefined {
  for (const v of node.values) {
    if (typeof v === 'object' && v.keyword === 'PARAMETER' && String(v.values[0]).toLowerCase() === name) {
      return typeof v.values[1] === 'number' ? v.values[1] : undefined;
    }
  }
  return undefined;
}

function epsgAuthority(node: WktNode): number | undefined {
  const auth = child(node, 'AUTHORITY', 'ID');
  if (!auth || String(auth.values[0]).toUpperCase() !== 'EPSG') return undefined;
  const code = Number(auth.values[1]);
  return Number.isInteger(code) && code > 0 ? code : undefined;
}

// Known names without an AUTHORITY, as ESRI and older GDAL write them. The false easting is
// checked where it tells variants apart: "UTM zone 32N (zE-N)" (EPSG:4647) puts the zone
// number in front of the easting and must not pass as EPSG:25832.
function epsgFromName(node: WktNode): number | undefined {
  const name = String(node.values[0] ?? '').toLowerCase().replace(/[^a-z0-9]+/g, ' ');
  const falseEasting = parameter(node, 'false_easting');
  const gk = /\bdhdn\b.*\bgauss\b.*\bzone ([2-5])\b/.exec(name);
  if (gk && (falseEasting === undefined || falseEasting === Number(gk[1]) * 1e6 + 500_000)) return 31464 + Number(gk[1]);
  const utm = /\betrs ?(?:19)?89\b.*\butm\b.*\bzone (32|33) ?n\b/.exec(name);
  if (utm && (falseEasting === undefined || falseEasting === 500_000)) return 25800 + Number(utm[1]);
  if (node.keyword === 'GEOGCS' && /\b(gcs )?wgs (19)?84\b/.test(name)) return 4326;
  return undefined;
}

/** The EPSG code of a .prj's coordinate reference system; `file` names the .prj in errors. */
export function epsgFromPrj(wkt: string, file: string): number {
  let root: WktNode;
  try {
    root = parseWkt(wkt);
  } catch (err) {
    throw new ImportInputError(file, `not a readable WKT coordinate reference system (${(err as Error).message})`);
  }
  const code = epsgAuthority(root) ?? epsgFromName(root);
  if (code === undefined) {
    throw new ImportInputError(file, `unknown coordinate reference system "${String(root.values[0] ?? root.keyword)}": ` +
      'supported are WKT with AUTHORITY["EPSG",n], DHDN 3-degree Gauss-Krüger zones 2-5, ETRS89 UTM 32N/33N and WGS 84');
  }
  return code;
}

import type { Geometry, Position } from 'geojson';

/**
 * A Mapbox Vector Tile (spec 2.1) writer for geometry that PostGIS has already moved into tile
 * space (integers, y down, clipped, exterior rings with positive area). Used where ST_AsMVT is
 * missing: the embedded PostGIS is compiled without protobuf-c. Only the protobuf is written
 * here; every geometric decision was made in SQL.
 */
export type MvtValue = string | number | boolean | null;

export interface MvtFeature {
  id?: number;
  properties: Record<string, MvtValue>;
  geometry: Geometry;
}

export interface MvtLayer {
  name: string;
  extent: number;
  features: MvtFeature[];
}

const Wire = { Varint: 0, Fixed64: 1, Bytes: 2 } as const;
type Wire = (typeof Wire)[keyof typeof Wire];
const POINT = 1;
const LINESTRING = 2;
const POLYGON = 3;

class Writer {
  private bytes: number[] = [];
  varint(n: number): this {
    // Numbers up to 2^53 without BigInt: seven bits at a time.
    let v = n;
    while (v >= 0x80) {
      this.bytes.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.bytes.push(v);
    return this;
  }
  tag(field: number, wire: Wire): this {
    return this.varint(field * 8 + wire);
  }
  raw(data: ArrayLike<number>): this {
    for (let i = 0; i < data.length; i++) this.bytes.push(data[i]!);
    return this;
  }
  /** A length-delimited field: a string, a sub-message or a packed list. */
  field(field: number, data: ArrayLike<number>): this {
    return this.tag(field, Wire.Bytes).varint(data.length).raw(data);
  }
  packed(field: number, values: readonly number[]): this {
    const w = new Writer();
    for (const v of values) w.varint(v);
    return this.field(field, w.bytes);
  }
  done(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

const utf8 = (s: string) => new TextEncoder().encode(s);
const zigzag = (n: number) => (n >= 0 ? n * 2 : -n * 2 - 1);
const command = (id: number, count: number) => (id & 0x7) | (count << 3);

function value(v: string | number | boolean): Uint8Array {
  const w = new Writer();
  if (typeof v === 'string') w.field(1, utf8(v));
  else if (typeof v === 'boolean') w.tag(7, Wire.Varint).varint(v ? 1 : 0);
  else if (Number.isSafeInteger(v)) (v >= 0 ? w.tag(5, Wire.Varint).varint(v) : w.tag(6, Wire.Varint).varint(zigzag(v)));
  else {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, v, true);
    w.tag(3, Wire.Fixed64).raw(b);
  }
  return w.done();
}

/** Geometry commands with cursor-relative, zigzag-encoded parameters; null when nothing is left to draw. */
function encodeGeometry(g: Geometry): { type: number; commands: number[] } | null {
  const commands: number[] = [];
  let cx = 0;
  let cy = 0;
  const to = (id: number, points: Position[]) => {
    commands.push(command(id, points.length));
    for (const p of points) {
      const x = Math.round(p[0]!);
      const y = Math.round(p[1]!);
      commands.push(zigzag(x - cx), zigzag(y - cy));
      cx = x;
      cy = y;
    }
  };
  const line = (points: Position[]) => {
    to(1, points.slice(0, 1));
    to(2, points.slice(1));
  };
  // GeoJSON repeats a ring's first position at the end; in MVT, ClosePath does that.
  const ring = (r: Position[]) => {
    if (r.length < 4) return;
    line(r.slice(0, -1));
    commands.push(command(7, 1));
  };
  let type: number;
  if (g.type === 'Point' || g.type === 'MultiPoint') {
    type = POINT;
    const points = g.type === 'Point' ? [g.coordinates] : g.coordinates;
    if (points.length) to(1, points);
  } else if (g.type === 'LineString') {
    type = LINESTRING;
    if (g.coordinates.length >= 2) line(g.coordinates);
  } else if (g.type === 'Polygon' || g.type === 'MultiPolygon') {
    type = POLYGON;
    const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    for (const p of polygons) p.forEach(ring);
  } else {
    return null;
  }
  return commands.length ? { type, commands } : null;
}

function encodeLayer(layer: MvtLayer): Uint8Array | null {
  const keys = new Map<string, number>();
  const values = new Map<string, { index: number; bytes: Uint8Array }>();
  const out = new Writer().tag(15, Wire.Varint).varint(2).field(1, utf8(layer.name));
  let written = 0;
  for (const f of layer.features) {
    const geom = encodeGeometry(f.geometry);
    if (!geom) continue;
    const tags: number[] = [];
    for (const [k, v] of Object.entries(f.properties)) {
      if (v === null) continue; // MVT has no null: an absent key means null, as ST_AsMVT does it
      if (!keys.has(k)) keys.set(k, keys.size);
      const vk = `${typeof v}:${v}`;
      if (!values.has(vk)) values.set(vk, { index: values.size, bytes: value(v) });
      tags.push(keys.get(k)!, values.get(vk)!.index);
    }
    const fw = new Writer();
    if (f.id !== undefined) fw.tag(1, Wire.Varint).varint(f.id);
    fw.packed(2, tags).tag(3, Wire.Varint).varint(geom.type).packed(4, geom.commands);
    out.field(2, fw.done());
    written++;
  }
  if (written === 0) return null;
  for (const k of keys.keys()) out.field(3, utf8(k));
  for (const v of values.values()) out.field(4, v.bytes);
  return out.tag(5, Wire.Varint).varint(layer.extent).done();
}

/** The tile as protobuf bytes; empty when no layer has a feature. */
export function encodeTile(layers: readonly MvtLayer[]): Uint8Array {
  const w = new Writer();
  for (const layer of layers) {
    const bytes = encodeLayer(layer);
    if (bytes) w.field(3, bytes);
  }
  return w.done();
}

// GeoJSON text built in SQL without the spaces json_build_object writes after every colon and
// comma (about 9 % of a layer's bytes). row_to_json writes a record compactly, so properties are
// a record whose column aliases are the member names; the Feature envelope is concatenated text.
// Measured against json_build_object and jsonb_build_object (whose text keeps a space after
// colons and commas, and which reorders members) in docs/architecture.md: the fastest of the three
// on both backends. Values are escaped by PostgreSQL's JSON output either way; nothing is
// stripped from finished text, so a ": " inside a value stays as it is.

/** A member name as an SQL alias: only plain snake_case names, never request text. */
function alias(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain member name: ${name}`);
  return `"${name}"`;
}

/** One member of a JSON object: its name and the SQL expression of its value. */
export type Member = readonly [name: string, sql: string];

/** SQL (type json) of an object with these members, in this order, written compactly. */
export function jsonObject(members: readonly Member[]): string {
  return `(SELECT row_to_json(m) FROM (SELECT ${members.map(([name, sql]) => `${sql} AS ${alias(name)}`).join(', ')}) m)`;
}

/**
 * SQL (type text) of a GeoJSON Feature. `id` is an SQL expression of any type (to_json writes a
 * number or a quoted string), `geometry` one of GeoJSON text such as ST_AsGeoJSON(...) (NULL:
 * `"geometry":null`), `properties` one of type json, e.g. jsonObject(...).
 */
export function featureText(id: string, geometry: string, properties: string): string {
  return `('{"type":"Feature","id":' || to_json(${id})::text || ',"geometry":' || coalesce(${geometry}, 'null')
    || ',"properties":' || ${properties}::text || '}')`;
}

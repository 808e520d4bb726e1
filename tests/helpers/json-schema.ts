/*
 * A small JSON Schema (2020-12 subset) checker for the OpenAPI document's schemas:
 * exactly the keywords z.toJSONSchema emits for our schemas. An unknown keyword is an
 * error (so a schema change cannot silently pass unchecked). Returns the violations.
 */
type Schema = Record<string, unknown> | boolean;

const ANNOTATIONS = new Set(["description", "title", "default", "examples", "$schema", "$id"]);
const KNOWN = new Set([
  "$ref",
  "type",
  "enum",
  "const",
  "properties",
  "required",
  "additionalProperties",
  "propertyNames",
  "items",
  "anyOf",
  "oneOf",
  "allOf",
  "format",
  "pattern",
  "minLength",
  "maxLength",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "minItems",
  "maxItems",
]);

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

const FORMATS: Record<string, (s: string) => boolean> = {
  uuid: (s) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s),
  "date-time": (s) =>
    /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(s) && !isNaN(Date.parse(s)),
  uri: (s) => {
    try {
      new URL(s);
      return true;
    } catch {
      return false;
    }
  },
};

export function validate(
  value: unknown,
  schema: Schema,
  root: { components: { schemas: Record<string, Schema> } },
  path = "$",
): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${path}: not allowed`];
  const errors: string[] = [];
  for (const k of Object.keys(schema)) {
    if (!KNOWN.has(k) && !ANNOTATIONS.has(k)) errors.push(`${path}: checker does not know "${k}"`);
  }
  const s = schema as Record<string, unknown>;
  if (typeof s.$ref === "string") {
    const name = /^#\/components\/schemas\/(.+)$/.exec(s.$ref)?.[1];
    const target = name ? root.components.schemas[name] : undefined;
    if (target === undefined) return [...errors, `${path}: unresolvable $ref ${s.$ref}`];
    errors.push(...validate(value, target, root, path));
  }
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
    const t = typeOf(value);
    if (!types.includes(t) && !(t === "integer" && types.includes("number")))
      return [...errors, `${path}: expected ${types.join("|")}, got ${t}`];
  }
  if (s.enum && !(s.enum as unknown[]).includes(value))
    errors.push(`${path}: ${JSON.stringify(value)} not in enum`);
  if ("const" in s && s.const !== value) errors.push(`${path}: expected const ${String(s.const)}`);
  if (typeof value === "string") {
    if (typeof s.minLength === "number" && [...value].length < s.minLength)
      errors.push(`${path}: shorter than ${s.minLength}`);
    if (typeof s.maxLength === "number" && [...value].length > s.maxLength)
      errors.push(`${path}: longer than ${s.maxLength}`);
    if (typeof s.pattern === "string" && !new RegExp(s.pattern, "u").test(value))
      errors.push(`${path}: does not match ${s.pattern}`);
    if (typeof s.format === "string" && FORMATS[s.format] && !FORMATS[s.format]!(value))
      errors.push(`${path}: not a ${s.format}`);
  }
  if (typeof value === "number") {
    if (typeof s.minimum === "number" && value < s.minimum) errors.push(`${path}: < minimum`);
    if (typeof s.maximum === "number" && value > s.maximum) errors.push(`${path}: > maximum`);
    if (typeof s.exclusiveMinimum === "number" && value <= s.exclusiveMinimum)
      errors.push(`${path}: <= exclusiveMinimum`);
    if (typeof s.exclusiveMaximum === "number" && value >= s.exclusiveMaximum)
      errors.push(`${path}: >= exclusiveMaximum`);
  }
  if (Array.isArray(value)) {
    if (s.items !== undefined)
      value.forEach((item, i) =>
        errors.push(...validate(item, s.items as Schema, root, `${path}[${i}]`)),
      );
    if (typeof s.minItems === "number" && value.length < s.minItems)
      errors.push(`${path}: minItems`);
    if (typeof s.maxItems === "number" && value.length > s.maxItems)
      errors.push(`${path}: maxItems`);
  }
  if (typeOf(value) === "object") {
    const obj = value as Record<string, unknown>;
    const props = (s.properties ?? {}) as Record<string, Schema>;
    for (const r of (s.required ?? []) as string[])
      if (!(r in obj)) errors.push(`${path}: missing required "${r}"`);
    for (const [k, v] of Object.entries(obj)) {
      if (k in props) errors.push(...validate(v, props[k]!, root, `${path}.${k}`));
      else if (s.additionalProperties !== undefined)
        errors.push(...validate(v, s.additionalProperties as Schema, root, `${path}.${k}`));
      if (s.propertyNames !== undefined)
        errors.push(...validate(k, s.propertyNames as Schema, root, `${path}{${k}}`));
    }
  }
  if (s.anyOf) {
    const ok = (s.anyOf as Schema[]).some((sub) => validate(value, sub, root, path).length === 0);
    if (!ok) errors.push(`${path}: matches none of anyOf`);
  }
  if (s.oneOf) {
    const n = (s.oneOf as Schema[]).filter((sub) => validate(value, sub, root, path).length === 0);
    if (n.length !== 1) errors.push(`${path}: matches ${n.length} of oneOf`);
  }
  if (s.allOf)
    for (const sub of s.allOf as Schema[]) errors.push(...validate(value, sub, root, path));
  return errors;
}

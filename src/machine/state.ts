// Declared device state. Every device keeps all of its mutable state in one plain object whose
// shape is given by a schema: named, typed fields. Snapshots save exactly the schema's fields,
// restore validates every field (type, range, array length; unknown or missing fields are refused)
// before anything is assigned, and then the device's postLoad() checks invariants and re-arms timers.
// A device that adds state without declaring it fails the schema test in test/machine/state.test.ts.

export type Scalar = "u8" | "u16" | "u32" | "i32" | "f64" | "bool" | "string";
export type ArrayType = "u8[]" | "u16[]" | "u32[]" | "i32[]" | "f64[]" | "bool[]";
export type FieldSpec = Scalar | { type: ArrayType; length: number } | { type: "bytes"; length: number } | { type: "struct[]"; length: number; of: Schema } | { type: "struct"; of: Schema };
export type Schema = Record<string, FieldSpec>;

export class StateError extends Error {
  constructor(where: string, message: string) {
    super(`${where}: ${message}`);
    this.name = "StateError";
  }
}

const RANGES: Record<string, [number, number]> = {
  u8: [0, 0xff],
  u16: [0, 0xffff],
  u32: [0, 0xffffffff],
  i32: [-0x80000000, 0x7fffffff],
};

function checkScalar(where: string, t: Scalar, v: unknown): void {
  if (t === "bool") {
    if (typeof v !== "boolean") throw new StateError(where, `expected a boolean, got ${typeof v}`);
    return;
  }
  if (t === "string") {
    if (typeof v !== "string") throw new StateError(where, `expected a string, got ${typeof v}`);
    return;
  }
  if (typeof v !== "number" || Number.isNaN(v)) throw new StateError(where, `expected a number, got ${String(v)}`);
  if (t === "f64") return; // Infinity is allowed: a disarmed timer deadline
  const [lo, hi] = RANGES[t];
  if (!Number.isInteger(v) || v < lo || v > hi) throw new StateError(where, `${v} is not a valid ${t}`);
}

/** Validate `value` against the schema; throws StateError naming the first bad field. */
export function validateState(where: string, schema: Schema, value: unknown): void {
  if (typeof value !== "object" || value === null) throw new StateError(where, "state is not an object");
  const obj = value as Record<string, unknown>;
  for (const k of Object.keys(obj)) if (!(k in schema)) throw new StateError(where, `unknown field '${k}'`);
  for (const [k, spec] of Object.entries(schema)) {
    const at = `${where}.${k}`;
    if (!(k in obj)) throw new StateError(where, `missing field '${k}'`);
    const v = obj[k];
    if (typeof spec === "string") {
      checkScalar(at, spec, v);
    } else if (spec.type === "bytes") {
      if (!(v instanceof Uint8Array) || v.length !== spec.length) throw new StateError(at, `expected ${spec.length} bytes`);
    } else if (spec.type === "struct") {
      validateState(at, spec.of, v);
    } else if (spec.type === "struct[]") {
      if (!Array.isArray(v) || v.length !== spec.length) throw new StateError(at, `expected an array of ${spec.length}`);
      v.forEach((e, i) => validateState(`${at}[${i}]`, spec.of, e));
    } else {
      if (!Array.isArray(v) || v.length !== spec.length) throw new StateError(at, `expected an array of ${spec.length}`);
      const elem = spec.type.slice(0, -2) as Scalar;
      v.forEach((e, i) => checkScalar(`${at}[${i}]`, elem, e));
    }
  }
}

/** A deep copy of a state object (arrays and byte arrays are copied), for save and load. */
export function cloneState<T>(schema: Schema, value: T): T {
  const src = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, spec] of Object.entries(schema)) {
    const v = src[k];
    if (typeof spec === "string") out[k] = v;
    else if (spec.type === "bytes") out[k] = new Uint8Array(v as Uint8Array);
    else if (spec.type === "struct") out[k] = cloneState(spec.of, v);
    else if (spec.type === "struct[]") out[k] = (v as unknown[]).map((e) => cloneState(spec.of, e));
    else out[k] = [...(v as unknown[])];
  }
  return out as T;
}

/**
 * The contract every device module implements. `state` holds all mutable state and nothing else
 * does; `schema` declares it; `reset()` returns it to power-on values; `postLoad()` runs after a
 * restore has replaced `state`, checks invariants (throwing StateError) and re-arms timers.
 */
export interface Device<S extends object = object> {
  readonly name: string;
  readonly schema: Schema;
  state: S;
  reset(): void;
  postLoad?(): void;
}

export function saveDevice<S extends object>(dev: Device<S>): S {
  return cloneState(dev.schema, dev.state);
}

/** Restore a device: validate, replace, postLoad. On any error the device keeps its old state. */
export function loadDevice<S extends object>(dev: Device<S>, value: unknown): void {
  validateState(dev.name, dev.schema, value);
  const old = dev.state;
  dev.state = cloneState(dev.schema, value as S);
  try {
    dev.postLoad?.();
  } catch (e) {
    dev.state = old;
    dev.postLoad?.();
    throw e;
  }
}

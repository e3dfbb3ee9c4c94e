'use strict';
// cty wire values (msgpack) written independently of the C core, following go-cty's
// cty/msgpack rules: every object attribute present, unknown = ext 0 with payload 0x00,
// refined unknown = ext 12 with an integer-keyed map, dynamic = [bin(type JSON), value].

const { encode: mpEncode, decode: mpDecode, ExtensionCodec, ExtData } = require('@msgpack/msgpack');

/** An unknown value; `refinements` (optional) is {nullness, prefix, lower, upper, minLen, maxLen}. */
class Unknown {
  constructor(refinements) {
    this.refinements = refinements || null;
  }
}
const UNKNOWN = new Unknown();

/** A value of type "dynamic": carries its concrete type. */
class Dynamic {
  constructor(type, value) {
    this.type = type;
    this.value = value;
  }
}

// A tiny msgpack writer for the refinement payload (integer keys, which @msgpack/msgpack's
// object encoder cannot produce).
function encodeRefinements(r) {
  const entries = [];
  if (r.nullness !== undefined) entries.push([1, r.nullness]);
  if (r.prefix !== undefined) entries.push([2, r.prefix]);
  if (r.lower !== undefined) entries.push([3, r.lower]);
  if (r.upper !== undefined) entries.push([4, r.upper]);
  if (r.minLen !== undefined) entries.push([5, r.minLen]);
  if (r.maxLen !== undefined) entries.push([6, r.maxLen]);
  if (entries.length === 0 || entries.length > 15) throw new Error('refinements: 1..15 entries');
  const parts = [Uint8Array.of(0x80 | entries.length)];
  for (const [k, v] of entries) {
    parts.push(Uint8Array.of(k)); // positive fixint key
    parts.push(mpEncode(v));
  }
  return Buffer.concat(parts.map((p) => Buffer.from(p)));
}

function decodeRefinements(data) {
  // Walk the map by hand: keys are integers.
  const out = {};
  const buf = Buffer.from(data);
  if (buf.length === 0 || (buf[0] & 0xf0) !== 0x80) return out;
  const n = buf[0] & 0x0f;
  const names = { 1: 'nullness', 2: 'prefix', 3: 'lower', 4: 'upper', 5: 'minLen', 6: 'maxLen' };
  // decodeMulti over the rest yields k, v, k, v ...
  const { decodeMulti } = require('@msgpack/msgpack');
  const items = [...decodeMulti(buf.subarray(1))].slice(0, 2 * n);
  for (let i = 0; i + 1 < items.length; i += 2) out[names[items[i]] || `k${items[i]}`] = items[i + 1];
  return out;
}

const extensionCodec = new ExtensionCodec();
extensionCodec.register({
  type: 0,
  encode: (v) => (v instanceof Unknown && !v.refinements ? Uint8Array.of(0) : null),
  decode: () => new Unknown(),
});
extensionCodec.register({
  type: 12,
  encode: (v) => (v instanceof Unknown && v.refinements ? encodeRefinements(v.refinements) : null),
  decode: (data) => new Unknown(decodeRefinements(data)),
});

// ---------------------------------------------------------------------------------------------
// Types

/** Parses an Attribute.type (bytes of JSON) into a type: "string"|"number"|"bool"|"dynamic"
 *  or [kind, ...]. Throws on invalid JSON or an invalid type. */
function parseType(bytes) {
  const t = JSON.parse(Buffer.from(bytes).toString('utf8'));
  checkType(t);
  return t;
}

function checkType(t) {
  if (typeof t === 'string') {
    if (!['string', 'number', 'bool', 'dynamic'].includes(t)) throw new Error(`bad primitive type ${t}`);
    return;
  }
  if (!Array.isArray(t) || t.length < 2) throw new Error(`bad type ${JSON.stringify(t)}`);
  switch (t[0]) {
    case 'list':
    case 'set':
    case 'map':
      if (t.length !== 2) throw new Error(`bad collection type ${JSON.stringify(t)}`);
      checkType(t[1]);
      return;
    case 'object':
      if (t.length > 3 || typeof t[1] !== 'object' || Array.isArray(t[1]) || t[1] === null)
        throw new Error(`bad object type ${JSON.stringify(t)}`);
      for (const k of Object.keys(t[1])) checkType(t[1][k]);
      if (t.length === 3) {
        if (!Array.isArray(t[2])) throw new Error('bad optional attribute list');
        for (const k of t[2]) if (!(k in t[1])) throw new Error(`optional ${k} not an attribute`);
      }
      return;
    case 'tuple':
      if (t.length !== 2 || !Array.isArray(t[1])) throw new Error(`bad tuple type ${JSON.stringify(t)}`);
      t[1].forEach(checkType);
      return;
    default:
      throw new Error(`bad type kind ${t[0]}`);
  }
}

const NESTING = { INVALID: 0, SINGLE: 1, LIST: 2, SET: 3, MAP: 4, GROUP: 5 };
function nestingName(n) {
  if (typeof n === 'string') return n;
  return Object.keys(NESTING).find((k) => NESTING[k] === n) || 'INVALID';
}

/** The implied type of a v6 nested_type attribute (Schema.Object). */
function objectImpliedType(obj) {
  const attrs = {};
  for (const a of obj.attributes || []) attrs[a.name] = attributeType(a);
  const o = ['object', attrs];
  switch (nestingName(obj.nesting)) {
    case 'SINGLE':
    case 'GROUP':
      return o;
    case 'LIST':
      return ['list', o];
    case 'SET':
      return ['set', o];
    case 'MAP':
      return ['map', o];
    default:
      throw new Error('invalid nested attribute nesting');
  }
}

function attributeType(a) {
  const hasType = a.type && a.type.length > 0;
  if (hasType && a.nested_type) throw new Error(`attribute ${a.name}: both type and nested_type`);
  if (hasType) return parseType(a.type);
  if (a.nested_type) return objectImpliedType(a.nested_type);
  throw new Error(`attribute ${a.name}: no type`);
}

function blockHasDynamic(block) {
  const walk = (t) =>
    t === 'dynamic' ||
    (Array.isArray(t) &&
      (t[0] === 'object' ? Object.values(t[1]).some(walk) : t[0] === 'tuple' ? t[1].some(walk) : walk(t[1])));
  return walk(impliedType(block));
}

/** The implied cty type of a Schema.Block (configschema.Block.ImpliedType). */
function impliedType(block) {
  const attrs = {};
  for (const a of (block && block.attributes) || []) attrs[a.name] = attributeType(a);
  for (const b of (block && block.block_types) || []) {
    const inner = impliedType(b.block);
    switch (nestingName(b.nesting)) {
      case 'SINGLE':
      case 'GROUP':
        attrs[b.type_name] = inner;
        break;
      case 'LIST':
        // A list of blocks containing dynamic types is a tuple; callers send concrete values.
        attrs[b.type_name] = blockHasDynamic(b.block) ? ['tuple', []] : ['list', inner];
        break;
      case 'SET':
        attrs[b.type_name] = ['set', inner];
        break;
      case 'MAP':
        attrs[b.type_name] = blockHasDynamic(b.block) ? ['object', {}] : ['map', inner];
        break;
      default:
        throw new Error(`block ${b.type_name}: invalid nesting`);
    }
  }
  return ['object', attrs];
}

/** Fills object attributes missing from `v` with null, recursively, following `type`
 *  (like HCL's conversion of an object literal to an object type with optional attributes). */
function fillValue(v, type) {
  if (v === null || v === undefined || v instanceof Unknown || v instanceof Dynamic || typeof type === 'string') return v;
  const [kind, elem] = type;
  if ((kind === 'list' || kind === 'set') && Array.isArray(v)) return v.map((e) => fillValue(e, elem));
  if (kind === 'map' && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, fillValue(e, elem)]));
  if (kind === 'object' && typeof v === 'object' && !Array.isArray(v)) {
    const out = {};
    for (const k of Object.keys(elem)) out[k] = k in v ? fillValue(v[k], elem[k]) : null;
    for (const k of Object.keys(v)) if (!(k in elem)) out[k] = v[k]; // left for encode() to refuse
    return out;
  }
  return v;
}

/**
 * A full object for `block` as Terraform builds a config: every attribute present (null unless
 * given in `values`), LIST/SET blocks [] and MAP blocks {} unless given, SINGLE blocks null,
 * GROUP blocks an object of nulls. Nested block values given are filled recursively.
 */
function fillBlock(block, values) {
  values = values || {};
  const out = {};
  const known = new Set();
  for (const a of (block && block.attributes) || []) {
    known.add(a.name);
    out[a.name] = a.name in values ? fillValue(values[a.name], attributeType(a)) : null;
  }
  for (const b of (block && block.block_types) || []) {
    known.add(b.type_name);
    const v = values[b.type_name];
    const n = nestingName(b.nesting);
    if (v === undefined) {
      out[b.type_name] =
        n === 'LIST' || n === 'SET' ? [] : n === 'MAP' ? {} : n === 'GROUP' ? fillBlock(b.block, {}) : null;
    } else if (v === null || v instanceof Unknown) {
      out[b.type_name] = v;
    } else if (n === 'LIST' || n === 'SET') {
      out[b.type_name] = v.map((e) => fillBlock(b.block, e));
    } else if (n === 'MAP') {
      out[b.type_name] = Object.fromEntries(Object.entries(v).map(([k, e]) => [k, fillBlock(b.block, e)]));
    } else {
      out[b.type_name] = fillBlock(b.block, v);
    }
  }
  for (const k of Object.keys(values)) if (!known.has(k)) throw new Error(`fillBlock: no attribute ${k}`);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Encoding

function prepare(value, type, path) {
  if (value === null || value === undefined) return null;
  if (value instanceof Unknown) return value;
  if (type === 'dynamic') {
    if (!(value instanceof Dynamic)) throw new Error(`${path}: dynamic value needs a Dynamic wrapper`);
    return [Buffer.from(JSON.stringify(value.type)), prepare(value.value, value.type, path)];
  }
  if (typeof type === 'string') {
    switch (type) {
      case 'string':
        if (typeof value !== 'string') throw new Error(`${path}: string expected`);
        return value;
      case 'bool':
        if (typeof value !== 'boolean') throw new Error(`${path}: bool expected`);
        return value;
      case 'number':
        if (typeof value === 'number') {
          if (!Number.isFinite(value)) return value; // +-Inf as float64
          if (Number.isInteger(value) && !Number.isSafeInteger(value)) return String(BigInt(value));
          return value;
        }
        if (typeof value === 'bigint') {
          // Exact int64 as an integer, anything larger as a decimal string (cty rule).
          if (value >= -(2n ** 63n) && value < 2n ** 63n) return value;
          return value.toString();
        }
        if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return value;
        throw new Error(`${path}: number expected`);
      default:
        throw new Error(`${path}: bad type`);
    }
  }
  const [kind, elem] = type;
  switch (kind) {
    case 'list':
    case 'set':
      if (!Array.isArray(value)) throw new Error(`${path}: array expected`);
      return value.map((v, i) => prepare(v, elem, `${path}[${i}]`));
    case 'tuple':
      if (!Array.isArray(value) || value.length !== elem.length) throw new Error(`${path}: tuple length`);
      return value.map((v, i) => prepare(v, elem[i], `${path}[${i}]`));
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`${path}: map expected`);
      const out = {};
      for (const k of Object.keys(value)) out[k] = prepare(value[k], elem, `${path}["${k}"]`);
      return out;
    }
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`${path}: object expected`);
      const want = Object.keys(elem);
      const have = Object.keys(value);
      for (const k of have) if (!(k in elem)) throw new Error(`${path}: unsupported attribute ${k}`);
      for (const k of want) if (!(k in value)) throw new Error(`${path}: missing attribute ${k}`);
      const out = {};
      for (const k of want) out[k] = prepare(value[k], elem[k], `${path}.${k}`);
      return out;
    }
    default:
      throw new Error(`${path}: bad type kind ${kind}`);
  }
}

/** Encodes `value` of cty `type` to msgpack bytes (Buffer). Objects must carry every attribute. */
function encode(value, type) {
  const prepared = prepare(value, type, '$');
  return Buffer.from(mpEncode(prepared, { extensionCodec, sortKeys: true, useBigInt64: true }));
}

function postDecode(v) {
  if (v instanceof ExtData) return new Unknown();
  if (Array.isArray(v)) return v.map(postDecode);
  if (v && typeof v === 'object' && !(v instanceof Unknown) && !(v instanceof Uint8Array)) {
    const out = {};
    for (const k of Object.keys(v)) out[k] = postDecode(v[k]);
    return out;
  }
  return v;
}

/** Decodes msgpack bytes into plain JS (maps -> objects, any ext -> Unknown). */
function decode(bytes) {
  if (!bytes || bytes.length === 0) return null;
  return postDecode(mpDecode(bytes, { extensionCodec, useBigInt64: true }));
}

/** True when `v` (decoded) contains an Unknown anywhere. */
function hasUnknown(v) {
  if (v instanceof Unknown) return true;
  if (Array.isArray(v)) return v.some(hasUnknown);
  if (v && typeof v === 'object' && !(v instanceof Uint8Array)) return Object.values(v).some(hasUnknown);
  return false;
}

/** Checks that decoded value `v` conforms to `type` (every object attribute present, etc.).
 *  Returns an array of problems (empty when it conforms). */
function conformance(v, type, path = '$', problems = []) {
  if (v === null || v instanceof Unknown) return problems;
  if (type === 'dynamic') {
    if (!Array.isArray(v) || v.length !== 2) problems.push(`${path}: dynamic must be [type, value]`);
    return problems;
  }
  if (typeof type === 'string') {
    const ok =
      (type === 'string' && (typeof v === 'string' || v instanceof Uint8Array)) ||
      (type === 'bool' && typeof v === 'boolean') ||
      (type === 'number' &&
        (typeof v === 'number' || typeof v === 'bigint' || (typeof v === 'string' && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(v))));
    if (!ok) problems.push(`${path}: expected ${type}, got ${typeof v}`);
    return problems;
  }
  const [kind, elem] = type;
  if (kind === 'list' || kind === 'set' || kind === 'tuple') {
    if (!Array.isArray(v)) {
      problems.push(`${path}: expected ${kind}`);
      return problems;
    }
    v.forEach((e, i) => conformance(e, kind === 'tuple' ? elem[i] : elem, `${path}[${i}]`, problems));
    return problems;
  }
  if (typeof v !== 'object' || Array.isArray(v)) {
    problems.push(`${path}: expected ${kind}`);
    return problems;
  }
  if (kind === 'map') {
    for (const k of Object.keys(v)) conformance(v[k], elem, `${path}["${k}"]`, problems);
    return problems;
  }
  for (const k of Object.keys(elem)) {
    if (!(k in v)) problems.push(`${path}: missing attribute ${k}`);
    else conformance(v[k], elem[k], `${path}.${k}`, problems);
  }
  for (const k of Object.keys(v)) if (!(k in elem)) problems.push(`${path}: unsupported attribute ${k}`);
  return problems;
}

module.exports = {
  Unknown,
  UNKNOWN,
  Dynamic,
  parseType,
  checkType,
  impliedType,
  attributeType,
  fillBlock,
  fillValue,
  nestingName,
  encode,
  decode,
  hasUnknown,
  conformance,
  extensionCodec,
};

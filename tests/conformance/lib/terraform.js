'use strict';
// The parts of Terraform core the lifecycle tests need: ProposedNew, plan validity and
// apply-result checks (objchange.AssertPlanValid / AssertObjectCompatible, simplified), and a
// driver that runs one resource instance through create / read / no-op plan / destroy with the
// RPC sequence Terraform uses.

const assert = require('node:assert/strict');
const cty = require('./cty');
const plugin = require('./plugin');

const NULL = Buffer.from([0xc0]);

/** cty equality of decoded values of `type`; sets compare without order. Unknown equals
 *  nothing, except with `raw` (cty RawEquals, used by AssertPlanValid), where two unknowns of
 *  the same type are equal. */
function equal(a, b, type, raw = false) {
  if (a instanceof cty.Unknown || b instanceof cty.Unknown) return raw && a instanceof cty.Unknown && b instanceof cty.Unknown;
  if (a === null || b === null) return a === b;
  if (type === 'dynamic') return JSON.stringify(a) === JSON.stringify(b);
  if (typeof type === 'string') {
    if (type === 'number') return numberText(a) === numberText(b);
    if (type === 'string') return Buffer.from(a).toString() === Buffer.from(b).toString();
    return a === b;
  }
  const [kind, elem] = type;
  switch (kind) {
    case 'list':
      return a.length === b.length && a.every((x, i) => equal(x, b[i], elem, raw));
    case 'tuple':
      return a.length === b.length && a.every((x, i) => equal(x, b[i], elem[i], raw));
    case 'set':
      return a.length === b.length && a.every((x) => b.some((y) => equal(x, y, elem, raw))) && b.every((y) => a.some((x) => equal(x, y, elem, raw)));
    case 'map': {
      const ka = Object.keys(a).sort();
      const kb = Object.keys(b).sort();
      return ka.length === kb.length && ka.every((k, i) => k === kb[i] && equal(a[k], b[k], elem, raw));
    }
    case 'object':
      return Object.keys(elem).every((k) => equal(a[k], b[k], elem[k], raw));
    default:
      return false;
  }
}

function numberText(n) {
  if (typeof n === 'bigint') return n.toString();
  if (typeof n === 'number') return Number.isInteger(n) ? BigInt(n).toString() : String(n);
  return String(n);
}

function blockAttrMap(block) {
  const m = {};
  for (const a of block.attributes || []) m[a.name] = a;
  return m;
}

/** objchange.ProposedNew for a block (prior may be null). */
function proposedNew(block, prior, config) {
  if (config === null || config instanceof cty.Unknown) return config;
  const out = {};
  for (const a of block.attributes || []) {
    const cv = config[a.name];
    if (a.computed && cv === null) out[a.name] = prior ? prior[a.name] : null;
    else out[a.name] = cv;
  }
  for (const b of block.block_types || []) {
    const cv = config[b.type_name];
    const pv = prior ? prior[b.type_name] : null;
    const n = cty.nestingName(b.nesting);
    if (cv === null || cv instanceof cty.Unknown) {
      out[b.type_name] = cv;
    } else if (n === 'SINGLE' || n === 'GROUP') {
      out[b.type_name] = proposedNew(b.block, pv, cv);
    } else if (n === 'LIST') {
      out[b.type_name] = cv.map((e, i) => proposedNew(b.block, Array.isArray(pv) ? pv[i] || null : null, e));
    } else if (n === 'MAP') {
      out[b.type_name] = Object.fromEntries(Object.entries(cv).map(([k, e]) => [k, proposedNew(b.block, pv && pv[k] ? pv[k] : null, e)]));
    } else {
      // SET: correlate by the non-computed attributes.
      const attrs = (b.block.attributes || []).filter((a) => !a.computed);
      const innerType = cty.impliedType(b.block);
      out[b.type_name] = cv.map((e) => {
        const match = Array.isArray(pv)
          ? pv.find((x) => x && attrs.every((a) => equal(x[a.name], e[a.name], innerType[1][a.name])))
          : null;
        return proposedNew(b.block, match || null, e);
      });
    }
  }
  return out;
}

/** Problems of a planned object against config/prior (AssertPlanValid, attribute level). */
function planProblems(block, prior, config, planned, path = '') {
  const problems = [];
  if (config === null) return planned === null ? problems : [`${path || '.'}: planned non-null for null config`];
  if (planned === null) return [`${path || '.'}: planned null for non-null config`];
  if (config instanceof cty.Unknown) return problems;
  for (const a of block.attributes || []) {
    const at = `${path}.${a.name}`;
    const t = cty.attributeType(a);
    const c = config[a.name];
    const x = planned[a.name];
    const pr = prior ? prior[a.name] : null;
    if (a.computed && !a.optional) continue;
    if (a.computed && c === null) continue;
    if (c instanceof cty.Unknown) {
      if (!(x instanceof cty.Unknown)) problems.push(`${at}: config unknown but planned known`);
      continue;
    }
    if (equal(x, c, t, true)) continue;
    if (x === null && c === null) continue;
    if (pr !== null && c !== null && equal(x, pr, t, true)) continue;
    problems.push(`${at}: planned ${show(x)} does not match config ${show(c)}${pr !== null ? ' nor prior ' + show(pr) : ''}`);
  }
  for (const b of block.block_types || []) {
    const at = `${path}.${b.type_name}`;
    const n = cty.nestingName(b.nesting);
    const c = config[b.type_name];
    const x = planned[b.type_name];
    if (n === 'LIST' || n === 'SET' || n === 'MAP' || n === 'GROUP') {
      if (x === null) problems.push(`${at}: ${n} block planned null`);
    }
    if (c === null || x === null || c instanceof cty.Unknown) continue;
    if (n === 'LIST') {
      if (x.length !== c.length) problems.push(`${at}: ${x.length} blocks planned, ${c.length} configured`);
      else c.forEach((e, i) => problems.push(...planProblems(b.block, prior && prior[b.type_name] ? prior[b.type_name][i] || null : null, e, x[i], `${at}[${i}]`)));
    } else if (n === 'SINGLE' || n === 'GROUP') {
      problems.push(...planProblems(b.block, prior ? prior[b.type_name] : null, c, x, at));
    } else if (n === 'MAP') {
      if (Object.keys(x).sort().join() !== Object.keys(c).sort().join()) problems.push(`${at}: map block keys differ`);
    }
  }
  return problems;
}

/** Problems of a new state against the planned one (AssertObjectCompatible, simplified). */
function compatProblems(planned, actual, type, path = '') {
  if (planned instanceof cty.Unknown) return [];
  if (type === 'dynamic') return [];
  if (planned === null || actual === null) return planned === actual ? [] : [`${path || '.'}: was ${show(planned)}, now ${show(actual)}`];
  if (typeof type === 'string') return equal(planned, actual, type) ? [] : [`${path}: was ${show(planned)}, now ${show(actual)}`];
  const [kind, elem] = type;
  if (kind === 'object') {
    const out = [];
    for (const k of Object.keys(elem)) out.push(...compatProblems(planned[k], actual[k], elem[k], `${path}.${k}`));
    return out;
  }
  if (kind === 'list' || kind === 'tuple') {
    if (planned.length !== actual.length) return [`${path}: length ${planned.length} -> ${actual.length}`];
    return planned.flatMap((e, i) => compatProblems(e, actual[i], kind === 'tuple' ? elem[i] : elem, `${path}[${i}]`));
  }
  if (kind === 'map') {
    const out = [];
    for (const k of Object.keys(planned)) {
      if (!(k in actual)) out.push(`${path}["${k}"]: vanished`);
      else out.push(...compatProblems(planned[k], actual[k], elem, `${path}["${k}"]`));
    }
    for (const k of Object.keys(actual)) if (!(k in planned)) out.push(`${path}["${k}"]: appeared`);
    return out;
  }
  if (kind === 'set') {
    if (cty.hasUnknown(planned)) return actual.length <= planned.length || planned.length === 0 ? [] : [`${path}: set grew`];
    return equal(planned, actual, type) ? [] : [`${path}: set was ${show(planned)}, now ${show(actual)}`];
  }
  return [];
}

function show(v) {
  return JSON.stringify(v, (k, x) => (x instanceof cty.Unknown ? '(unknown)' : typeof x === 'bigint' ? x.toString() : x));
}

function noErrors(res, what) {
  const e = plugin.errors(res.diagnostics);
  assert.equal(e.length, 0, `${what}: ${plugin.diagText(res.diagnostics)}`);
}

function dvBytes(d) {
  if (!d) return NULL;
  if (d.msgpack && d.msgpack.length > 0) return Buffer.from(d.msgpack);
  if (d.json && d.json.length > 0) throw new Error('the provider answered in JSON; the wire-format document recommends msgpack');
  return NULL;
}

/** Decodes a response DynamicValue (absent/empty = null). */
function dvValue(d) {
  return cty.decode(dvBytes(d));
}

/** ValidateProviderConfig/PrepareProviderConfig + ConfigureProvider/Configure. */
async function configureProvider(c, schema, values, o = {}) {
  const block = schema.provider.block || {};
  const type = cty.impliedType(block);
  const config = { msgpack: cty.encode(cty.fillBlock(block, values), type) };
  const v = await c.provider(c.m.validateProvider, { config });
  noErrors(v, c.m.validateProvider);
  if (c.app === 5 && v.prepared_config && v.prepared_config.msgpack && v.prepared_config.msgpack.length) {
    const pc = cty.decode(v.prepared_config.msgpack);
    assert.deepEqual(cty.conformance(pc, type), [], 'prepared_config conforms to the provider schema');
  }
  const res = await c.provider(
    c.m.configure,
    {
      terraform_version: '1.11.4',
      config,
      client_capabilities: { deferral_allowed: false, write_only_attributes_allowed: true },
    },
    { timeoutMs: o.timeoutMs || 30000 },
  );
  noErrors(res, c.m.configure);
  return res;
}

/**
 * Plans `configValues` for `typeName` against prior state bytes (NULL for create) as Terraform
 * does (ValidateResourceConfig, then PlanResourceChange with ProposedNew), checks plan validity,
 * and returns {planned (bytes), value (decoded), private, requiresReplace, diagnostics}.
 */
async function plan(c, schema, typeName, configValues, priorBytes, priorPrivate, o = {}) {
  const block = schema.resource_schemas[typeName].block;
  const type = cty.impliedType(block);
  const cfgObj = cty.fillBlock(block, configValues);
  const cfg = cty.encode(cfgObj, type);
  const vr = await c.provider(c.m.validateResource, { type_name: typeName, config: { msgpack: cfg } });
  noErrors(vr, c.m.validateResource);
  const prior = cty.decode(priorBytes);
  const proposed = proposedNew(block, prior, cfgObj);
  const res = await c.provider(
    'PlanResourceChange',
    {
      type_name: typeName,
      prior_state: { msgpack: priorBytes },
      proposed_new_state: { msgpack: cty.encode(proposed, type) },
      config: { msgpack: cfg },
      prior_private: priorPrivate || Buffer.alloc(0),
      client_capabilities: { deferral_allowed: false, write_only_attributes_allowed: true },
    },
    { timeoutMs: o.timeoutMs || 30000 },
  );
  noErrors(res, 'PlanResourceChange');
  const plannedBytes = dvBytes(res.planned_state);
  const planned = cty.decode(plannedBytes);
  assert.deepEqual(cty.conformance(planned, type), [], 'planned_state conforms to the schema');
  assert.deepEqual(planProblems(block, prior, cfgObj, planned), [], 'valid plan (AssertPlanValid)');
  return {
    planned: plannedBytes,
    value: planned,
    config: cfg,
    private: res.planned_private || Buffer.alloc(0),
    requiresReplace: res.requires_replace || [],
    type,
  };
}

/** ApplyResourceChange of a plan; returns {state (bytes), value, private}. */
async function apply(c, typeName, priorBytes, p, o = {}) {
  const res = await c.provider(
    'ApplyResourceChange',
    {
      type_name: typeName,
      prior_state: { msgpack: priorBytes },
      planned_state: { msgpack: p.planned },
      config: { msgpack: p.config },
      planned_private: p.private,
    },
    { timeoutMs: o.timeoutMs || 60000 },
  );
  if (o.raw) return res;
  noErrors(res, 'ApplyResourceChange');
  const stateBytes = dvBytes(res.new_state);
  const value = cty.decode(stateBytes);
  assert.notEqual(value, null, 'apply returned a non-null state');
  assert.equal(cty.hasUnknown(value), false, `new_state is wholly known: ${show(value)}`);
  assert.deepEqual(cty.conformance(value, p.type), [], 'new_state conforms to the schema');
  assert.deepEqual(compatProblems(p.value, value, p.type), [], 'new_state is compatible with the plan');
  return { state: stateBytes, value, private: res.private || Buffer.alloc(0) };
}

async function destroy(c, typeName, priorBytes, priorPrivate, o = {}) {
  const res = await c.provider(
    'ApplyResourceChange',
    {
      type_name: typeName,
      prior_state: { msgpack: priorBytes },
      planned_state: { msgpack: NULL },
      config: { msgpack: NULL },
      planned_private: priorPrivate || Buffer.alloc(0),
    },
    { timeoutMs: o.timeoutMs || 60000 },
  );
  noErrors(res, 'ApplyResourceChange (destroy)');
  assert.equal(dvValue(res.new_state), null, 'destroy returns a null state');
}

async function read(c, typeName, stateBytes, priv) {
  const res = await c.provider('ReadResource', { type_name: typeName, current_state: { msgpack: stateBytes }, private: priv || Buffer.alloc(0) });
  noErrors(res, 'ReadResource');
  const bytes = dvBytes(res.new_state);
  return { state: bytes, value: cty.decode(bytes), private: res.private || Buffer.alloc(0) };
}

/** JSON of a decoded, wholly known value, as Terraform stores it in the state file. */
function toJSON(v) {
  return JSON.stringify(v, (k, x) => (typeof x === 'bigint' ? Number(x) : x instanceof Uint8Array ? Buffer.from(x).toString() : x));
}

async function upgrade(c, typeName, version, value) {
  const res = await c.provider('UpgradeResourceState', {
    type_name: typeName,
    version,
    raw_state: { json: Buffer.from(toJSON(value)) },
  });
  noErrors(res, 'UpgradeResourceState');
  const u = res.upgraded_state || {};
  if (u.msgpack && u.msgpack.length) return cty.decode(u.msgpack);
  if (u.json && u.json.length) return JSON.parse(Buffer.from(u.json).toString());
  return null;
}

/**
 * Runs one instance of `typeName` through the whole lifecycle. Returns the final applied
 * state value. Options: timeoutMs, checkGone (false: skip the read after destroy).
 */
async function lifecycle(c, schema, typeName, configValues, o = {}) {
  const sch = schema.resource_schemas[typeName];
  assert.ok(sch, `schema has ${typeName}`);
  const type = cty.impliedType(sch.block);
  // create
  const p1 = await plan(c, schema, typeName, configValues, NULL, null, o);
  for (const [k, v] of Object.entries(configValues)) {
    assert.ok(equal(p1.value[k], cty.decode(cty.encode(cty.fillBlock(sch.block, configValues), type))[k], type[1][k]), `planned ${k} keeps the config value ${show(v)}`);
  }
  // The final plan in the apply walk is made again and must agree with the first one.
  const p2 = await plan(c, schema, typeName, configValues, NULL, null, o);
  assert.deepEqual(compatProblems(p1.value, p2.value, type), [], 'final plan consistent with the saved plan');
  const created = await apply(c, typeName, NULL, p2, o);
  // upgrade + refresh: no drift
  const up = await upgrade(c, typeName, Number(sch.version || 0), created.value);
  assert.ok(equal(up, created.value, type), `UpgradeResourceState keeps the state: ${show(up)} vs ${show(created.value)}`);
  const r = await read(c, typeName, created.state, created.private);
  assert.ok(r.value !== null, 'ReadResource finds the created object');
  assert.equal(cty.hasUnknown(r.value), false, 'read state wholly known');
  assert.deepEqual(cty.conformance(r.value, type), [], 'read state conforms');
  assert.ok(equal(r.value, created.value, type), `no drift after create: read ${show(r.value)} vs applied ${show(created.value)}`);
  // second plan: no-op
  const p3 = await plan(c, schema, typeName, configValues, r.state, r.private, o);
  assert.ok(equal(p3.value, r.value, type), `second plan is a no-op: planned ${show(p3.value)} vs prior ${show(r.value)}`);
  // destroy, then the object is gone
  await destroy(c, typeName, r.state, r.private, o);
  if (o.checkGone !== false) {
    const gone = await read(c, typeName, r.state, r.private);
    assert.equal(gone.value, null, 'ReadResource after destroy reports the object gone (null, no error)');
  }
  return created.value;
}

module.exports = {
  NULL,
  equal,
  proposedNew,
  planProblems,
  compatProblems,
  configureProvider,
  plan,
  apply,
  destroy,
  read,
  upgrade,
  lifecycle,
  dvValue,
  show,
};

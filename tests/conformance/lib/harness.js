'use strict';
// Shared helpers for the test files: which binaries to run against, launching with automatic
// clean-up, and schema helpers.

const { describe, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const plugin = require('./plugin');
const cty = require('./cty');
const { haveOpenssl } = require('./certs');

/** Why the whole suite cannot run, or null. Only a missing binary (a target that was not
 *  built) is a reason to skip; a missing test dependency or broken protocol definitions fail. */
function prerequisiteProblem() {
  if (plugin.targets().length === 0) return 'no plugin binary was given or built';
  if (!haveOpenssl()) throw new Error('the openssl program is not installed (AutoMTLS client certificates; scripts/setup.sh installs it)');
  plugin.protos(); // throws with the reason when proto/ cannot be loaded
  for (const svc of ['tfplugin5.Provider', 'tfplugin6.Provider', 'plugin.GRPCController', 'grpc.health.v1.Health']) {
    if (!plugin.protos()[svc]) throw new Error(`service ${svc} is not defined in ${plugin.config().protoDir}`);
  }
  return null;
}

/**
 * describe() once per binary under test. `body(target)` registers the tests. When nothing can
 * run, registers one skipped test so the runner reports "skipped".
 */
function forEachTarget(title, body) {
  const problem = prerequisiteProblem();
  if (problem) {
    describe(title, () => {
      require('node:test').it('prerequisites', { skip: problem }, () => {});
    });
    return;
  }
  for (const t of plugin.targets()) describe(`${title} [${t.name}]`, () => body(t));
}

/** A per-test scope: launch()/connect() results are killed/closed after each test. */
function scope() {
  const procs = [];
  const conns = [];
  afterEach(async () => {
    for (const c of conns.splice(0)) c.close();
    await Promise.all(procs.splice(0).map((p) => p.kill()));
  });
  after(async () => {
    await plugin.killAll();
    assert.deepEqual(await plugin.launchedStderrProblems(), [], 'plugin stderr');
  });
  return {
    async launch(bin, opts) {
      const p = await plugin.launch(bin, opts);
      procs.push(p);
      return p;
    },
    connect(p, opts) {
      const c = plugin.connect(p, opts);
      conns.push(c);
      return c;
    },
    /** launch + connect + schema: {p, c, schema}. */
    async start(bin, opts) {
      const p = await this.launch(bin, opts);
      const c = this.connect(p, opts && opts.connect);
      const schema = await plugin.getSchema(c);
      assert.deepEqual(plugin.errors(schema.diagnostics), [], `schema diagnostics: ${plugin.diagText(schema.diagnostics)}`);
      return { p, c, schema };
    },
  };
}

/** Sorted resource type names of a schema response. */
function resourceNames(schema) {
  return Object.keys(schema.resource_schemas || {}).sort();
}

/** An attribute's implied type. */
function attrType(a) {
  return cty.attributeType(a);
}

/**
 * A plausible value for a required attribute of `type`, for generic calls that only need a
 * well-formed config (the provider may still report validation diagnostics).
 */
function sampleValue(type) {
  if (type === 'string') return 'conformance';
  if (type === 'number') return 1;
  if (type === 'bool') return false;
  if (type === 'dynamic') return new cty.Dynamic('string', 'conformance');
  switch (type[0]) {
    case 'list':
    case 'set':
      return [];
    case 'map':
      return {};
    case 'tuple':
      return type[1].map(sampleValue);
    case 'object': {
      const o = {};
      for (const [k, t] of Object.entries(type[1])) o[k] = sampleValue(t);
      return o;
    }
    default:
      return null;
  }
}

/** A full config for `block` with every required attribute set to a sample value. */
function sampleConfig(block, overrides = {}) {
  const values = {};
  for (const a of block.attributes || []) if (a.required) values[a.name] = sampleValue(attrType(a));
  Object.assign(values, overrides);
  return cty.fillBlock(block, values);
}

function dv(value, type) {
  return { msgpack: cty.encode(value, type) };
}

const NULL_DV = { msgpack: Buffer.from([0xc0]) };

/** Resolves when `promise` settles, with {ok, value|err}. */
async function settle(promise) {
  try {
    return { ok: true, value: await promise };
  } catch (err) {
    return { ok: false, err };
  }
}

module.exports = {
  assert,
  plugin,
  cty,
  forEachTarget,
  scope,
  resourceNames,
  attrType,
  sampleValue,
  sampleConfig,
  dv,
  NULL_DV,
  settle,
  prerequisiteProblem,
};

'use strict';
// Memory bounded by input: whatever the shape of a DynamicValue, handling it never makes the
// plugin grow by more than 4 x the message size (peak RSS, VmHWM in /proc/<pid>/status, one
// fresh process per case, so the high-water mark belongs to that message). The shapes are the
// expensive ones: a ~60 MiB list of one-byte nulls (a tree node per byte: refused as too large
// with a clear error), a ~60 MiB string (decoded), and a message over the server's 64 MiB cap
// (refused by gRPC before anything is decoded). TFPV_MEMORY_TEST_MIB changes the size.

const { it } = require('node:test');
const fs = require('node:fs');
const { assert, plugin, cty, forEachTarget, scope, settle, resourceNames, sampleConfig } = require('../lib/harness');

const grpc = plugin.grpc;
const MIB = Number(process.env.TFPV_MEMORY_TEST_MIB || 60);
const CAP = 64 << 20; // the server's message cap (provider/server/serve.c)

function vmHwm(pid) {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m[1]) * 1024;
}

/** A resource type with a string attribute and a list/set-of-string attribute, or null. */
function pickResource(schema) {
  for (const name of resourceNames(schema)) {
    const block = schema.resource_schemas[name].block;
    let str = null;
    let coll = null;
    for (const a of block.attributes || []) {
      const t = cty.attributeType(a);
      if (t === 'string' && !str && !a.computed) str = a.name;
      if (Array.isArray(t) && (t[0] === 'list' || t[0] === 'set') && t[1] === 'string' && !coll) coll = a.name;
    }
    if (str && coll) return { name, block, str, coll };
  }
  return null;
}

/** The config's msgpack with `marker` (a one-element list or a string) replaced by `body`. */
function splice(r, overrides, marker, body) {
  const enc = cty.encode(sampleConfig(r.block, overrides), cty.impliedType(r.block));
  const at = enc.indexOf(marker);
  assert.ok(at >= 0, 'marker found in the encoded config');
  return Buffer.concat([enc.subarray(0, at), body, enc.subarray(at + marker.length)]);
}

const PLACEHOLDER = 'MEMORYTESTMARK';
const MARK_STR = Buffer.concat([Buffer.from([0xa0 | PLACEHOLDER.length]), Buffer.from(PLACEHOLDER)]);

/** ~n bytes: a list of n one-byte nulls. */
function nullsBody(n) {
  const b = Buffer.alloc(5 + n, 0xc0);
  b[0] = 0xdd;
  b.writeUInt32BE(n, 1);
  return b;
}

/** A string of n bytes. */
function stringBody(n) {
  const b = Buffer.alloc(5 + n, 0x61);
  b[0] = 0xdb;
  b.writeUInt32BE(n, 1);
  return b;
}

forEachTarget('memory', (t) => {
  const s = scope();

  /** Sends `method` with the request `build(resource)` returns (its `bytes` field is the
   *  message's payload) to a fresh plugin and checks its peak RSS growth against its size. */
  async function measureCall(what, method, build, expect) {
    const p = await s.launch(t.bin, { protocols: '6' });
    const c = s.connect(p, { maxMessageBytes: 1 << 30 });
    const schema = await plugin.getSchema(c);
    const r = pickResource(schema);
    if (!r) return { skipped: true };
    const { req, bytes } = build(r);
    const before = vmHwm(p.proc.pid);
    const res = await settle(c.provider(method, req, { timeoutMs: 300000 }));
    assert.ok(p.alive(), `${what}: the plugin died (${JSON.stringify(p.exitInfo)})`);
    const grown = vmHwm(p.proc.pid) - before;
    const ratio = grown / bytes.length;
    console.log(`${what}: ${(bytes.length / 1048576).toFixed(1)} MiB message, peak RSS grew by ${(grown / 1048576).toFixed(1)} MiB (${ratio.toFixed(2)} x)`);
    assert.ok(ratio <= 4, `${what}: the plugin's peak RSS grew by ${grown} bytes for a ${bytes.length}-byte message (${ratio.toFixed(2)} x, at most 4 x)`);
    expect(res);
    // still serving afterwards
    assert.ok((await c.provider(c.m.schema, {}, { timeoutMs: 20000 })).provider, `${what}: serving after it`);
    return { skipped: false };
  }

  /** A resource config (msgpack) through ValidateResourceConfig. */
  function measure(what, build, expect) {
    return measureCall(
      what,
      'ValidateResourceConfig',
      (r) => {
        const msgpack = build(r);
        return { req: { type_name: r.name, config: { msgpack } }, bytes: msgpack };
      },
      expect,
    );
  }

  /** A stored state (JSON) through UpgradeResourceState, answered as msgpack. */
  function measureUpgrade(what, build, expect) {
    return measureCall(
      what,
      'UpgradeResourceState',
      (r) => {
        const json = build(r);
        return { req: { type_name: r.name, version: 0, raw_state: { json } }, bytes: json };
      },
      expect,
    );
  }

  it(`a ${MIB} MiB list of nulls: refused as too large, peak RSS at most 4 x the message`, async (tc) => {
    const n = MIB << 20;
    const out = await measure(
      'list of nulls',
      (r) => splice(r, { [r.coll]: [PLACEHOLDER] }, Buffer.concat([Buffer.from([0x91]), MARK_STR]), nullsBody(n)),
      (res) => {
        assert.ok(res.ok, `answered: ${res.err}`);
        const errs = plugin.errors(res.value.diagnostics);
        assert.ok(errs.some((d) => /too large/.test(d.detail) && /too many elements/.test(d.detail)), `a "too large" error: ${plugin.diagText(res.value.diagnostics)}`);
      },
    );
    if (out.skipped) tc.skip('no resource with string and list-of-string attributes');
  });

  it(`a ${MIB} MiB string: decoded, peak RSS at most 4 x the message`, async (tc) => {
    const n = MIB << 20;
    const out = await measure(
      'one string',
      (r) => splice(r, { [r.str]: PLACEHOLDER }, MARK_STR, stringBody(n)),
      (res) => {
        assert.ok(res.ok, `answered: ${res.err}`);
        for (const d of res.value.diagnostics) assert.ok(d.detail.length <= 4096, `diagnostic detail of ${d.detail.length} bytes`);
        assert.ok(!plugin.errors(res.value.diagnostics).some((d) => /could not be decoded/.test(d.detail)), 'the value decoded');
      },
    );
    if (out.skipped) tc.skip('no resource with string and list-of-string attributes');
  });

  /** A raw state: the sample config as JSON, with `attr` set to the JSON text `valueText`. */
  function rawState(r, attr, valueText) {
    const o = {};
    for (const [k, v] of Object.entries(sampleConfig(r.block))) if (v !== null && typeof v !== 'object') o[k] = v;
    o[attr] = PLACEHOLDER;
    const text = JSON.stringify(o);
    const at = text.indexOf(`"${PLACEHOLDER}"`);
    return Buffer.concat([Buffer.from(text.slice(0, at)), valueText, Buffer.from(text.slice(at + PLACEHOLDER.length + 2))]);
  }

  it(`a ${MIB} MiB stored state (JSON) with one string: upgraded, peak RSS at most 4 x the message`, async (tc) => {
    const n = MIB << 20;
    const str = Buffer.alloc(n + 2, 0x61);
    str[0] = 0x22;
    str[n + 1] = 0x22;
    const out = await measureUpgrade(
      'state with one string',
      (r) => rawState(r, r.str, str),
      (res) => {
        assert.ok(res.ok, `answered: ${res.err}`);
        assert.equal(plugin.errors(res.value.diagnostics).length, 0, plugin.diagText(res.value.diagnostics));
      },
    );
    if (out.skipped) tc.skip('no resource with string and list-of-string attributes');
  });

  it(`a ${MIB} MiB stored state (JSON) of nulls: refused as too large, peak RSS at most 4 x the message`, async (tc) => {
    const n = Math.floor((MIB << 20) / 5);
    const list = Buffer.alloc(n * 5 + 1, 0);
    for (let i = 0; i < n; i++) list.write(i === 0 ? '[null' : ',null', i * 5, 'latin1');
    list[n * 5] = 0x5d;
    const out = await measureUpgrade(
      'state of nulls',
      (r) => rawState(r, r.coll, list),
      (res) => {
        assert.ok(res.ok, `answered: ${res.err}`);
        assert.ok(plugin.errors(res.value.diagnostics).some((d) => /too large/.test(d.detail)), `a "too large" error: ${plugin.diagText(res.value.diagnostics)}`);
      },
    );
    if (out.skipped) tc.skip('no resource with string and list-of-string attributes');
  });

  it('a message over the 64 MiB cap: RESOURCE_EXHAUSTED, nothing decoded', async (tc) => {
    const out = await measure(
      'over the cap',
      (r) => splice(r, { [r.str]: PLACEHOLDER }, MARK_STR, stringBody(CAP + 1)),
      (res) => {
        assert.equal(res.ok, false, 'refused');
        assert.equal(res.err.code, grpc.status.RESOURCE_EXHAUSTED, `status ${res.err.code} ${res.err.details}`);
      },
    );
    if (out.skipped) tc.skip('no resource with string and list-of-string attributes');
  });
});

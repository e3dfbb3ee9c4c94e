'use strict';
// Bad input never crashes the plugin: malformed msgpack in a DynamicValue gets an error
// diagnostic (or a gRPC error), garbage protobuf bytes get a gRPC error, an oversized message is
// accepted or refused cleanly - and after each, the process is alive and answers the next call.

const { it } = require('node:test');
const { assert, plugin, cty, forEachTarget, scope, settle, resourceNames, sampleConfig } = require('../lib/harness');

const grpc = plugin.grpc;

const MALFORMED = {
  'never-used byte 0xc1': Buffer.from([0xc1]),
  'truncated map': Buffer.from([0x83, 0xa2, 0x69]),
  'truncated str32': Buffer.from([0xdb, 0xff, 0xff, 0xff, 0xff, 0x61]),
  'array32 claiming 4G elements': Buffer.from([0xdd, 0xff, 0xff, 0xff, 0xff]),
  'map32 claiming 4G entries': Buffer.from([0xdf, 0xff, 0xff, 0xff, 0xff]),
  '100000 nested arrays': Buffer.alloc(100000, 0x91),
  'a string instead of an object': Buffer.from([0xa3, 0x61, 0x62, 0x63]),
  'map with a non-string key': Buffer.from([0x81, 0x01, 0xc0]),
};

/** Asserts that the process answers a normal call. */
async function stillServing(p, c, what) {
  assert.ok(p.alive(), `${what}: the process died (${JSON.stringify(p.exitInfo)}); stderr: ${p.stderrText().slice(-1500)}`);
  const res = await c.provider(c.m.schema, {}, { timeoutMs: 10000 });
  assert.ok(res.provider, `${what}: schema call after the bad input`);
}

/** A response with at least one error diagnostic, or a gRPC error status. */
function assertRejected(r, what) {
  if (r.ok) {
    assert.ok(plugin.errors(r.value.diagnostics).length > 0, `${what}: expected an error diagnostic, got ${JSON.stringify(r.value.diagnostics)}`);
  } else {
    assert.ok(typeof r.err.code === 'number' && r.err.code !== grpc.status.OK, `${what}: ${r.err}`);
    assert.notEqual(r.err.code, grpc.status.DEADLINE_EXCEEDED, `${what}: the call hung`);
  }
}

forEachTarget('robustness', (t) => {
  const s = scope();
  for (const protocols of ['5', '6']) {
    it(`malformed msgpack in DynamicValue: error, process stays up (protocol ${protocols})`, async () => {
      const { p, c, schema } = await s.start(t.bin, { protocols });
      const resources = resourceNames(schema);
      for (const [what, bytes] of Object.entries(MALFORMED)) {
        const r1 = await settle(c.provider(c.m.validateProvider, { config: { msgpack: bytes } }));
        assertRejected(r1, `provider config, ${what}`);
        await stillServing(p, c, what);
        if (resources.length > 0) {
          const r2 = await settle(c.provider(c.m.validateResource, { type_name: resources[0], config: { msgpack: bytes } }));
          assertRejected(r2, `resource config, ${what}`);
          await stillServing(p, c, what);
          const r3 = await settle(
            c.provider('PlanResourceChange', {
              type_name: resources[0],
              prior_state: { msgpack: Buffer.from([0xc0]) },
              proposed_new_state: { msgpack: bytes },
              config: { msgpack: bytes },
            }),
          );
          assertRejected(r3, `plan, ${what}`);
          await stillServing(p, c, what);
        }
      }
      // Malformed JSON as the fallback encoding, and malformed raw state.
      const r4 = await settle(c.provider(c.m.validateProvider, { config: { json: Buffer.from('{"unterminated": ') } }));
      assertRejected(r4, 'malformed JSON config');
      if (resources.length > 0) {
        const r5 = await settle(
          c.provider('UpgradeResourceState', { type_name: resources[0], version: 0, raw_state: { json: Buffer.from('[[[[{') } }),
        );
        assertRejected(r5, 'malformed raw state JSON');
        const r6 = await settle(
          c.provider(c.m.validateResource, { type_name: 'conformance_no_such_type', config: { msgpack: Buffer.from([0x80]) } }),
        );
        assertRejected(r6, 'unknown resource type');
      }
      await stillServing(p, c, 'end');
    });

    it(`garbage protobuf bytes: gRPC error, process stays up (protocol ${protocols})`, async () => {
      const { p, c } = await s.start(t.bin, { protocols });
      const pkg = `tfplugin${protocols}`;
      const garbage = {
        'invalid wire type': Buffer.from([0xff]),
        'length beyond the message': Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]),
        'truncated nested message': Buffer.from([0x12, 0x05, 0x0a]),
        'overlong varint': Buffer.from([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
      };
      const methods = [c.m.validateProvider, c.m.validateResource, 'PlanResourceChange', 'ApplyResourceChange', 'ReadResource', c.m.configure];
      for (const [what, bytes] of Object.entries(garbage)) {
        for (const m of methods) {
          const r = await settle(c.rawUnary(`/${pkg}.Provider/${m}`, bytes));
          assert.equal(r.ok, false, `${m} with ${what} must fail`);
          assert.notEqual(r.err.code, grpc.status.DEADLINE_EXCEEDED, `${m} with ${what}: the call hung`);
          assert.notEqual(r.err.code, grpc.status.UNAVAILABLE, `${m} with ${what}: connection lost`);
        }
        const h = await settle(c.rawUnary('/grpc.health.v1.Health/Check', bytes));
        assert.ok(!h.ok || h.value, `health with ${what}`);
        await stillServing(p, c, what);
      }
      await stillServing(p, c, 'end');
    });

    it(`Shutdown with a garbage body: refused, or a clean shutdown (protocol ${protocols})`, async () => {
      const { p, c } = await s.start(t.bin, { protocols });
      const r = await settle(c.rawUnary('/plugin.GRPCController/Shutdown', Buffer.from([0x0a, 0xff, 0xff, 0x01])));
      if (r.ok) {
        const exit = await plugin.within(p.exited, 3000);
        assert.ok(exit, 'answered Shutdown, so the process exits');
        assert.equal(exit.code, 0, `clean exit: ${JSON.stringify(exit)}`);
      } else {
        assert.notEqual(r.err.code, grpc.status.DEADLINE_EXCEEDED, 'the call hung');
        await stillServing(p, c, 'garbage Shutdown');
      }
    });

    it(`oversized message (5 MiB string) accepted or refused cleanly (protocol ${protocols})`, async () => {
      const { p, c, schema } = await s.start(t.bin, { protocols });
      const big = 'x'.repeat(5 << 20);
      // Prefer a real string attribute, so the value is well-formed.
      let req = null;
      const strAttr = (block) => (block.attributes || []).find((a) => a.type && Buffer.from(a.type).toString() === '"string"');
      for (const name of resourceNames(schema)) {
        const block = schema.resource_schemas[name].block;
        const a = strAttr(block);
        if (a) {
          const type = cty.impliedType(block);
          req = [c.m.validateResource, { type_name: name, config: { msgpack: cty.encode(sampleConfig(block, { [a.name]: big }), type) } }];
          break;
        }
      }
      if (!req) req = [c.m.validateProvider, { config: { msgpack: cty.encode(big, 'string') } }];
      const r = await settle(c.provider(req[0], req[1], { timeoutMs: 20000 }));
      if (!r.ok) {
        assert.ok(
          [grpc.status.RESOURCE_EXHAUSTED, grpc.status.INVALID_ARGUMENT, grpc.status.INTERNAL].includes(r.err.code),
          `refused cleanly, got ${r.err.code} ${r.err.details}`,
        );
      }
      await stillServing(p, c, 'oversized');
      // An oversized raw message of garbage is refused without crashing too.
      const junk = Buffer.alloc(6 << 20, 0x0a);
      const r2 = await settle(c.rawUnary(`/tfplugin${protocols}.Provider/${c.m.validateProvider}`, junk, { timeoutMs: 20000 }));
      assert.equal(r2.ok, false);
      assert.notEqual(r2.err.code, grpc.status.DEADLINE_EXCEEDED);
      await stillServing(p, c, 'oversized garbage');
    });
  }
});

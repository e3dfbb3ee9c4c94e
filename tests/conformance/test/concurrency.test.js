'use strict';
// Terraform runs up to 10 operations at once over one connection: 10 concurrent calls (and 20
// mixed ones) all complete, each within its deadline.

const { it } = require('node:test');
const { assert, plugin, cty, forEachTarget, scope, settle, resourceNames, sampleConfig } = require('../lib/harness');

const grpc = plugin.grpc;

forEachTarget('concurrency', (t) => {
  const s = scope();
  for (const protocols of ['5', '6']) {
    it(`10 concurrent calls complete (protocol ${protocols})`, async () => {
      const { p, c, schema } = await s.start(t.bin, { protocols });
      const names = resourceNames(schema);
      const calls = [];
      if (names.length > 0) {
        const name = names[0];
        const block = schema.resource_schemas[name].block;
        const type = cty.impliedType(block);
        const config = { msgpack: cty.encode(sampleConfig(block), type) };
        for (let i = 0; i < 10; i++) calls.push(() => c.provider(c.m.validateResource, { type_name: name, config }));
      } else {
        const block = schema.provider.block;
        const config = { msgpack: cty.encode(cty.fillBlock(block, {}), cty.impliedType(block)) };
        for (let i = 0; i < 10; i++) calls.push(() => c.provider(c.m.validateProvider, { config }));
      }
      const results = await Promise.all(calls.map((f) => settle(f())));
      for (const [i, r] of results.entries()) assert.ok(r.ok, `call ${i}: ${r.err && r.err.code} ${r.err && r.err.details}`);
      assert.ok(p.alive());
    });

    it(`10 concurrent PlanResourceChange + 10 other calls complete (protocol ${protocols})`, async (tc) => {
      const { p, c, schema } = await s.start(t.bin, { protocols });
      const names = resourceNames(schema);
      if (names.length === 0) {
        tc.skip('no resource type in the schema');
        return;
      }
      const calls = [];
      for (let i = 0; i < 10; i++) {
        const name = names[i % names.length];
        const block = schema.resource_schemas[name].block;
        const type = cty.impliedType(block);
        const cfg = cty.encode(sampleConfig(block), type);
        calls.push(
          c.provider('PlanResourceChange', {
            type_name: name,
            prior_state: { msgpack: Buffer.from([0xc0]) },
            proposed_new_state: { msgpack: cfg },
            config: { msgpack: cfg },
          }),
        );
        calls.push(c.provider(c.m.schema, {}));
        calls.push(c.call('health', 'Check', { service: 'plugin' }));
      }
      const results = await Promise.all(calls.map((x) => settle(x)));
      for (const [i, r] of results.entries()) {
        assert.ok(r.ok, `call ${i}: ${r.err && r.err.code} ${r.err && r.err.details}`);
      }
      for (const r of results) assert.notEqual(r.ok ? 0 : r.err.code, grpc.status.DEADLINE_EXCEEDED);
      assert.ok(p.alive());
    });
  }
});

'use strict';
// A resource's whole lifecycle through the server's test provider (tests/e2e/plugin,
// resource tfptest_thing), with protocol 5 and 6 side by side: ValidateProviderConfig/
// PrepareProviderConfig -> Configure -> validate -> plan -> final plan -> apply -> upgrade ->
// read -> no-op plan -> destroy -> read (gone). Values are encoded by lib/cty.js from the schema.

const { describe, it, after } = require('node:test');
const fs = require('node:fs');
const { assert, plugin, prerequisiteProblem, sampleConfig } = require('../lib/harness');
const tf = require('../lib/terraform');

const cfg = plugin.config();
const TYPE = 'tfptest_thing';

describe(`lifecycle [tfp-test-provider ${TYPE}]`, () => {
  const cleanup = [];
  after(async () => {
    for (const f of cleanup.reverse()) await f();
  });

  for (const protocols of ['5', '6']) {
    it(`create, read, no-op plan, destroy over protocol ${protocols}`, async (t) => {
      if (!cfg.testProvider || !fs.existsSync(cfg.testProvider)) {
        t.skip('tfp-test-provider was not built');
        return;
      }
      const why = prerequisiteProblem();
      if (why) {
        t.skip(why);
        return;
      }
      const p = await plugin.launch(cfg.testProvider, { protocols });
      cleanup.push(() => p.kill());
      assert.equal(p.hs.app, protocols);
      const c = plugin.connect(p);
      cleanup.push(async () => c.close());
      const schema = await plugin.getSchema(c);
      assert.ok((schema.resource_schemas || {})[TYPE], `schema has ${TYPE}`);
      await tf.configureProvider(c, schema, {});
      const block = schema.resource_schemas[TYPE].block;
      const values = {};
      for (const a of block.attributes || []) if (a.required) values[a.name] = sampleConfig(block)[a.name];
      await tf.lifecycle(c, schema, TYPE, values);
      const sd = await c.call('controller', 'Shutdown', {}, { timeoutMs: 5000 });
      assert.ok(sd);
      const exit = await p.exited;
      assert.equal(exit.code, 0);
    });
  }
});

'use strict';
// A resource's whole lifecycle through the server's test provider (tests/e2e/plugin,
// resource tfptest_thing), with protocol 5 and 6 side by side, in Terraform's RPC order:
// PrepareProviderConfig/ValidateProviderConfig -> Configure -> validate -> plan -> final plan ->
// apply -> upgrade -> read -> no-op plan -> in-place update -> replacement -> import -> destroy ->
// read (gone). Values are encoded by lib/cty.js from the fetched schema.

const { describe, it, after } = require('node:test');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { assert, plugin, cty, prerequisiteProblem } = require('../lib/harness');
const tf = require('../lib/terraform');

const cfg = plugin.config();
const TYPE = 'tfptest_thing';
// Numbers that a double cannot hold must come back byte for byte.
const BIG = '12345678901234567890123';

function hasPath(paths, name) {
  return paths.some((p) => (p.steps || []).length === 1 && p.steps[0].attribute_name === name);
}

describe(`lifecycle [tfp-test-provider ${TYPE}]`, () => {
  const cleanup = [];
  const secrets = [];
  after(async () => {
    for (const f of cleanup.reverse()) await f();
    assert.deepEqual(await plugin.launchedStderrProblems(secrets), [], 'plugin stderr (TF_LOG=trace)');
  });

  for (const protocols of ['5', '6']) {
    it(`create, read, no-op plan, update, replace, import, destroy over protocol ${protocols}`, async (t) => {
      if (!cfg.testProvider || !fs.existsSync(cfg.testProvider)) {
        t.skip('tfp-test-provider was not built');
        return;
      }
      const why = prerequisiteProblem();
      if (why) {
        t.skip(why);
        return;
      }
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfpconf-store-'));
      cleanup.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
      const p = await plugin.launch(cfg.testProvider, { protocols, env: { TFPTEST_DIR: dir, TF_LOG: 'trace' } });
      cleanup.push(() => p.kill());
      assert.equal(p.hs.app, protocols);
      const c = plugin.connect(p);
      cleanup.push(async () => c.close());
      const schema = await plugin.getSchema(c);
      assert.ok((schema.resource_schemas || {})[TYPE], `schema has ${TYPE}`);
      const type = cty.impliedType(schema.resource_schemas[TYPE].block);
      await tf.configureProvider(c, schema, {});

      const A = {
        name: `conf-${protocols}`,
        note: 'n1',
        size: BIG,
        tags: { env: 'conformance', owner: 'conf' },
        rule: [{ port: 80, proto: 'tcp' }, { port: 443 }],
      };
      // create
      const p1 = await tf.plan(c, schema, TYPE, A, tf.NULL, null);
      assert.ok(p1.value.id instanceof cty.Unknown, 'id unknown in the create plan');
      const p1b = await tf.plan(c, schema, TYPE, A, tf.NULL, null);
      assert.deepEqual(tf.compatProblems(p1.value, p1b.value, type), [], 'final plan consistent');
      const created = await tf.apply(c, TYPE, tf.NULL, p1b);
      assert.equal(String(created.value.size), BIG, `big number kept exactly: ${created.value.size}`);
      // upgrade + refresh
      const up = await tf.upgrade(c, TYPE, Number(schema.resource_schemas[TYPE].version || 0), created.value);
      assert.ok(tf.equal(up, created.value, type), `UpgradeResourceState keeps the state: ${tf.show(up)}`);
      const r1 = await tf.read(c, TYPE, created.state, created.private);
      assert.ok(tf.equal(r1.value, created.value, type), `no drift: ${tf.show(r1.value)}`);
      // no-op
      const p2 = await tf.plan(c, schema, TYPE, A, r1.state, r1.private);
      assert.ok(tf.equal(p2.value, r1.value, type), `second plan is a no-op: ${tf.show(p2.value)}`);
      // in-place update (note)
      const B = { ...A, note: 'n2' };
      const p3 = await tf.plan(c, schema, TYPE, B, r1.state, r1.private);
      assert.equal(p3.value.note, 'n2');
      assert.equal(p3.value.id, created.value.id, 'the id is kept (known) for an in-place update');
      const updated = await tf.apply(c, TYPE, r1.state, p3);
      assert.equal(updated.value.id, created.value.id);
      assert.equal(updated.value.note, 'n2');
      // replacement (name): requires_replace names it; Terraform then deletes and creates.
      const C = { ...B, name: `conf-${protocols}-b` };
      const p4 = await tf.plan(c, schema, TYPE, C, updated.state, updated.private);
      assert.ok(hasPath(p4.requiresReplace, 'name'), `requires_replace has name: ${JSON.stringify(p4.requiresReplace)}`);
      await tf.destroy(c, TYPE, updated.state, updated.private);
      const p5 = await tf.plan(c, schema, TYPE, C, tf.NULL, null);
      const replaced = await tf.apply(c, TYPE, tf.NULL, p5);
      assert.notEqual(replaced.value.id, created.value.id, 'a new object after the replacement');
      const goneOld = await tf.read(c, TYPE, updated.state, updated.private);
      assert.equal(goneOld.value, null, 'the replaced object is gone');
      // import, then read: the same object
      const imp = await c.provider('ImportResourceState', { type_name: TYPE, id: replaced.value.id });
      assert.equal(plugin.errors(imp.diagnostics).length, 0, plugin.diagText(imp.diagnostics));
      assert.equal(imp.imported_resources.length, 1, 'one imported resource');
      assert.equal(imp.imported_resources[0].type_name, TYPE, 'imported type_name set');
      const stub = tf.dvValue(imp.imported_resources[0].state);
      assert.ok(stub, 'imported state non-null');
      const stubBytes = cty.encode(stub, type);
      const r2 = await tf.read(c, TYPE, stubBytes, imp.imported_resources[0].private);
      assert.ok(tf.equal(r2.value, replaced.value, type), `imported object: ${tf.show(r2.value)}`);
      const bad = await c.provider('ImportResourceState', { type_name: TYPE, id: 'thing-does-not-exist' });
      assert.ok(plugin.errors(bad.diagnostics).length > 0, 'importing a missing object is an error diagnostic');
      // destroy, then gone
      await tf.destroy(c, TYPE, r2.state, r2.private);
      const gone = await tf.read(c, TYPE, r2.state, r2.private);
      assert.equal(gone.value, null, 'ReadResource after destroy: null, no error');

      const sd = await c.call('controller', 'Shutdown', {}, { timeoutMs: 5000 });
      assert.ok(sd);
      const exit = await plugin.within(p.exited, 3000);
      assert.ok(exit, 'exited after Shutdown');
      assert.equal(exit.code, 0);
    });

    it(`invalid configuration: error diagnostic with the attribute path (protocol ${protocols})`, async (t) => {
      if (!cfg.testProvider || !fs.existsSync(cfg.testProvider)) {
        t.skip('tfp-test-provider was not built');
        return;
      }
      const p = await plugin.launch(cfg.testProvider, { protocols });
      cleanup.push(() => p.kill());
      const c = plugin.connect(p);
      cleanup.push(async () => c.close());
      const schema = await plugin.getSchema(c);
      const block = schema.resource_schemas[TYPE].block;
      const config = { msgpack: cty.encode(cty.fillBlock(block, { name: 'NOT valid!' }), cty.impliedType(block)) };
      const res = await c.provider(c.m.validateResource, { type_name: TYPE, config });
      const errs = plugin.errors(res.diagnostics);
      assert.ok(errs.length > 0, 'invalid name refused');
      const steps = (errs[0].attribute && errs[0].attribute.steps) || [];
      assert.equal(steps.length, 1, `path of one step: ${JSON.stringify(errs[0].attribute)}`);
      assert.equal(steps[0].attribute_name, 'name');
      // Unknown values are legal in validate: an unknown name is not an error.
      const unk = { msgpack: cty.encode(cty.fillBlock(block, { name: cty.UNKNOWN }), cty.impliedType(block)) };
      const res2 = await c.provider(c.m.validateResource, { type_name: TYPE, config: unk });
      assert.equal(plugin.errors(res2.diagnostics).length, 0, plugin.diagText(res2.diagnostics));
      // A refined unknown (ext 12, "not null, prefix conf-") is accepted like a plain unknown.
      const ref = new cty.Unknown({ nullness: false, prefix: 'conf-' });
      const res3 = await c.provider(c.m.validateResource, {
        type_name: TYPE,
        config: { msgpack: cty.encode(cty.fillBlock(block, { name: ref }), cty.impliedType(block)) },
      });
      assert.equal(plugin.errors(res3.diagnostics).length, 0, plugin.diagText(res3.diagnostics));
    });
  }
});

'use strict';
// The product over protocol 5 (issue 4 item 4) against vpcep-emulator, driven the way Terraform
// drives it: Configure -> ValidateResourceTypeConfig -> PlanResourceChange -> ApplyResourceChange
// -> UpgradeResourceState -> ReadResource -> PlanResourceChange (no-op) -> ApplyResourceChange
// (destroy) -> ReadResource (gone). Reported skipped until the product's schema has the resources.

const { describe, it, after } = require('node:test');
const { assert, plugin, cty, prerequisiteProblem } = require('../lib/harness');
const tf = require('../lib/terraform');
const { startEmulator } = require('../lib/emulator');

const cfg = plugin.config();

function skipReason() {
  const fs = require('node:fs');
  if (!cfg.provider || !fs.existsSync(cfg.provider)) return 'terraform-provider-vpcep was not built';
  if (!cfg.emulator || !fs.existsSync(cfg.emulator)) return 'vpcep-emulator was not built';
  return prerequisiteProblem();
}

describe('product lifecycle over protocol 5 [terraform-provider-vpcep + vpcep-emulator]', () => {
  const cleanup = [];
  const secrets = [];
  after(async () => {
    for (const f of cleanup.reverse()) await f();
    assert.deepEqual(await plugin.launchedStderrProblems(secrets), [], 'plugin stderr (TF_LOG=trace)');
  });

  it('vpcep_service and vpcep_endpoint: create, read, no-op plan, data source, destroy', async (t) => {
    const why = skipReason();
    if (why) {
      t.skip(why);
      return;
    }
    const p = await plugin.launch(cfg.provider, { protocols: '5', env: { TF_LOG: 'trace' } });
    cleanup.push(() => p.kill());
    assert.equal(p.hs.app, '5', 'protocol 5 negotiated');
    const c = plugin.connect(p);
    cleanup.push(async () => c.close());
    const schema = await plugin.getSchema(c);
    const need = ['vpcep_service', 'vpcep_endpoint'];
    const missing = need.filter((n) => !(schema.resource_schemas || {})[n]);
    if (missing.length > 0) {
      t.skip(`the product's schema lacks ${missing.join(', ')}`);
      return;
    }
    const emu = await startEmulator(cfg.emulator, { delayMs: 50 });
    cleanup.push(() => emu.stop());
    for (const a of emu.seed.accounts) secrets.push(a.secret_key, a.password);
    const owner = emu.account('owner');

    await tf.configureProvider(c, schema, emu.providerConfig('owner'));

    // The service: created and kept for the endpoint's lifecycle.
    const svcCfg = {
      name: 'conf-svc',
      description: 'conformance',
      vpc_id: owner.vpc_id,
      port_id: owner.port_id,
      server_type: 'VM',
      approval_enabled: false,
      port: [{ client_port: 80, server_port: 8080, protocol: 'TCP' }],
      tags: { env: 'conformance' },
    };
    const sp = await tf.plan(c, schema, 'vpcep_service', svcCfg, tf.NULL, null);
    assert.ok(sp.value.id instanceof cty.Unknown, 'id is unknown in the create plan');
    const svc = await tf.apply(c, 'vpcep_service', tf.NULL, sp);
    assert.equal(typeof svc.value.id, 'string');
    assert.ok(svc.value.id.length > 0, 'service id set');
    const svcRead = await tf.read(c, 'vpcep_service', svc.state, svc.private);
    const svcType = cty.impliedType(schema.resource_schemas.vpcep_service.block);
    assert.ok(tf.equal(svcRead.value, svc.value, svcType), `no drift: ${tf.show(svcRead.value)} vs ${tf.show(svc.value)}`);
    const sp2 = await tf.plan(c, schema, 'vpcep_service', svcCfg, svcRead.state, svcRead.private);
    assert.ok(tf.equal(sp2.value, svcRead.value, svcType), `service no-op plan: ${tf.show(sp2.value)}`);

    // The endpoint: the whole lifecycle, ending with destroy and "gone".
    await tf.lifecycle(c, schema, 'vpcep_endpoint', {
      service_id: svc.value.id,
      vpc_id: owner.vpc_id,
      subnet_id: owner.subnet_id,
      description: 'conformance endpoint',
    });

    // The data source finds the service by id.
    if ((schema.data_source_schemas || {}).vpcep_service) {
      const block = schema.data_source_schemas.vpcep_service.block;
      const type = cty.impliedType(block);
      const config = { msgpack: cty.encode(cty.fillBlock(block, { id: svc.value.id }), type) };
      const v = await c.provider(c.m.validateData, { type_name: 'vpcep_service', config });
      assert.equal(plugin.errors(v.diagnostics).length, 0, plugin.diagText(v.diagnostics));
      const r = await c.provider('ReadDataSource', { type_name: 'vpcep_service', config });
      assert.equal(plugin.errors(r.diagnostics).length, 0, plugin.diagText(r.diagnostics));
      const state = tf.dvValue(r.state);
      assert.ok(state, 'data source state non-null');
      assert.equal(cty.hasUnknown(state), false, 'data source state wholly known');
      assert.deepEqual(cty.conformance(state, type), []);
      assert.equal(state.id, svc.value.id);
    }

    // Destroy the service; then it is gone.
    await tf.destroy(c, 'vpcep_service', svcRead.state, svcRead.private);
    const gone = await tf.read(c, 'vpcep_service', svcRead.state, svcRead.private);
    assert.equal(gone.value, null, 'service gone after destroy');

    const sd = await c.call('controller', 'Shutdown', {}, { timeoutMs: 5000 });
    assert.ok(sd);
  });
});

'use strict';
// The product against vpcep-emulator, driven the way Terraform drives it, over protocol 5
// and protocol 6 side by side: Configure -> validate -> PlanResourceChange -> final plan ->
// ApplyResourceChange -> UpgradeResourceState -> ReadResource -> PlanResourceChange (no-op) ->
// ApplyResourceChange (destroy) -> ReadResource (gone), for vpcep_service, vpcep_endpoint and
// vpcep_approval, plus both data sources. Reported skipped while the schema lacks the resources.

const { describe, it, after } = require('node:test');
const fs = require('node:fs');
const { assert, plugin, cty, prerequisiteProblem } = require('../lib/harness');
const tf = require('../lib/terraform');
const { startEmulator } = require('../lib/emulator');

const cfg = plugin.config();

function skipReason() {
  if (!cfg.provider || !fs.existsSync(cfg.provider)) return 'terraform-provider-vpcep was not built';
  if (!cfg.emulator || !fs.existsSync(cfg.emulator)) return 'vpcep-emulator was not built';
  return prerequisiteProblem();
}

async function readData(c, schema, typeName, values) {
  const block = schema.data_source_schemas[typeName].block;
  const type = cty.impliedType(block);
  const config = { msgpack: cty.encode(cty.fillBlock(block, values), type) };
  const v = await c.provider(c.m.validateData, { type_name: typeName, config });
  assert.equal(plugin.errors(v.diagnostics).length, 0, plugin.diagText(v.diagnostics));
  const r = await c.provider('ReadDataSource', { type_name: typeName, config });
  assert.equal(plugin.errors(r.diagnostics).length, 0, plugin.diagText(r.diagnostics));
  const state = tf.dvValue(r.state);
  assert.ok(state, `${typeName}: state non-null`);
  assert.equal(cty.hasUnknown(state), false, `${typeName}: state wholly known`);
  assert.deepEqual(cty.conformance(state, type), [], `${typeName}: state conforms`);
  for (const [k, x] of Object.entries(values)) assert.deepEqual(state[k], x, `${typeName}: configured ${k} kept`);
  return state;
}

describe('product lifecycle [terraform-provider-vpcep + vpcep-emulator]', () => {
  const cleanup = [];
  const secrets = [];
  after(async () => {
    for (const f of cleanup.reverse()) await f();
    assert.deepEqual(await plugin.launchedStderrProblems(secrets), [], 'plugin stderr (TF_LOG=trace)');
  });

  for (const protocols of ['5', '6']) {
    it(`service, endpoint, approval and data sources over protocol ${protocols}`, async (t) => {
      const why = skipReason();
      if (why) {
        t.skip(why);
        return;
      }
      const p = await plugin.launch(cfg.provider, { protocols, env: { TF_LOG: 'trace' } });
      cleanup.push(() => p.kill());
      assert.equal(p.hs.app, protocols, `protocol ${protocols} negotiated`);
      const c = plugin.connect(p);
      cleanup.push(async () => c.close());
      const schema = await plugin.getSchema(c);
      const need = ['vpcep_service', 'vpcep_endpoint', 'vpcep_approval'];
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

      // 1. A service that needs no approval, with an endpoint through its whole lifecycle.
      const svcCfg = {
        name: `conf-svc${protocols}`,
        description: 'conformance',
        vpc_id: owner.vpc_id,
        port_id: owner.port_id,
        server_type: 'VM',
        approval_enabled: false,
        port: [{ client_port: 80, server_port: 8080, protocol: 'TCP' }],
        tags: { env: 'conformance' },
      };
      const svcType = cty.impliedType(schema.resource_schemas.vpcep_service.block);
      // Terraform's plan walk: the endpoint's service_id is unknown until the service exists.
      const epBase = { vpc_id: owner.vpc_id, subnet_id: owner.subnet_id, description: 'conformance endpoint' };
      const epEarly = await tf.plan(c, schema, 'vpcep_endpoint', { ...epBase, service_id: cty.UNKNOWN }, tf.NULL, null);
      assert.ok(epEarly.value.service_id instanceof cty.Unknown, 'service_id stays unknown in the plan');
      const sp = await tf.plan(c, schema, 'vpcep_service', svcCfg, tf.NULL, null);
      assert.ok(sp.value.id instanceof cty.Unknown, 'id is unknown in the create plan');
      const svc = await tf.apply(c, 'vpcep_service', tf.NULL, sp);
      assert.equal(typeof svc.value.id, 'string');
      assert.ok(svc.value.id.length > 0, 'service id set');
      const svcUp = await tf.upgrade(c, 'vpcep_service', Number(schema.resource_schemas.vpcep_service.version || 0), svc.value);
      assert.ok(tf.equal(svcUp, svc.value, svcType), `UpgradeResourceState keeps the state: ${tf.show(svcUp)}`);
      const svcRead = await tf.read(c, 'vpcep_service', svc.state, svc.private);
      assert.ok(tf.equal(svcRead.value, svc.value, svcType), `no drift: ${tf.show(svcRead.value)} vs ${tf.show(svc.value)}`);
      const sp2 = await tf.plan(c, schema, 'vpcep_service', svcCfg, svcRead.state, svcRead.private);
      assert.ok(tf.equal(sp2.value, svcRead.value, svcType), `service no-op plan: ${tf.show(sp2.value)}`);

      // The apply walk plans again with the id known: every value known in the first plan must
      // be unchanged ("Provider produced inconsistent final plan").
      const epEpType = cty.impliedType(schema.resource_schemas.vpcep_endpoint.block);
      const epFinal = await tf.plan(c, schema, 'vpcep_endpoint', { ...epBase, service_id: svc.value.id }, tf.NULL, null);
      assert.deepEqual(tf.compatProblems(epEarly.value, epFinal.value, epEpType), [], 'final endpoint plan consistent with the first');
      await tf.lifecycle(c, schema, 'vpcep_endpoint', { ...epBase, service_id: svc.value.id });

      // 2. A service that requires approval: an endpoint waits in pendingAcceptance until the
      //    vpcep_approval accepts it.
      const svc2Cfg = { ...svcCfg, name: `conf-appr${protocols}`, approval_enabled: true, port: [{ client_port: 443, server_port: 8443, protocol: 'TCP' }] };
      const svc2 = await tf.apply(c, 'vpcep_service', tf.NULL, await tf.plan(c, schema, 'vpcep_service', svc2Cfg, tf.NULL, null));
      const epCfg = { service_id: svc2.value.id, vpc_id: owner.vpc_id, subnet_id: owner.subnet_id };
      const apType = cty.impliedType(schema.resource_schemas.vpcep_approval.block);
      const apEarly = await tf.plan(c, schema, 'vpcep_approval', { service_id: svc2.value.id, endpoints: [cty.UNKNOWN] }, tf.NULL, null);
      const ep = await tf.apply(c, 'vpcep_endpoint', tf.NULL, await tf.plan(c, schema, 'vpcep_endpoint', epCfg, tf.NULL, null));
      const apFinal = await tf.plan(c, schema, 'vpcep_approval', { service_id: svc2.value.id, endpoints: [ep.value.id] }, tf.NULL, null);
      assert.deepEqual(tf.compatProblems(apEarly.value, apFinal.value, apType), [], 'final approval plan consistent with the first');
      await tf.lifecycle(c, schema, 'vpcep_approval', { service_id: svc2.value.id, endpoints: [ep.value.id] }, { checkGone: false });

      // 3. Data sources.
      if ((schema.data_source_schemas || {}).vpcep_service) {
        const st = await readData(c, schema, 'vpcep_service', { id: svc.value.id });
        assert.equal(st.id, svc.value.id);
      }
      if ((schema.data_source_schemas || {}).vpcep_public_services) {
        const st = await readData(c, schema, 'vpcep_public_services', { name: 'obs' });
        assert.ok(Array.isArray(st.services) && st.services.length >= 1, `public services found: ${tf.show(st.services)}`);
      }

      // 4. Destroy what is left; every object is gone afterwards.
      const epRead = await tf.read(c, 'vpcep_endpoint', ep.state, ep.private);
      await tf.destroy(c, 'vpcep_endpoint', epRead.state, epRead.private);
      for (const s of [svcRead, svc2]) {
        await tf.destroy(c, 'vpcep_service', s.state, s.private);
        const gone = await tf.read(c, 'vpcep_service', s.state, s.private);
        assert.equal(gone.value, null, 'service gone after destroy');
      }

      const sd = await c.call('controller', 'Shutdown', {}, { timeoutMs: 5000 });
      assert.ok(sd);
    });
  }
});

'use strict';
// Every resource and data source of every binary, planned the way Terraform plans a create with
// configs it really sends: sample values, only the required arguments, and every argument unknown
// (values that depend on other resources). Each call must answer; when the plan has no error
// diagnostic it must be valid by Terraform's rules (conforming to the schema, configured values
// kept, unknown config values still unknown). The product is configured against the emulator first.

const { it } = require('node:test');
const fs = require('node:fs');
const { assert, plugin, cty, forEachTarget, scope, sampleConfig } = require('../lib/harness');
const tf = require('../lib/terraform');
const { startEmulator } = require('../lib/emulator');

/** Config variants for a block: name -> values. */
function variants(block) {
  const sample = sampleConfig(block);
  const required = {};
  const unknown = {};
  for (const a of block.attributes || []) {
    if (a.required) required[a.name] = sample[a.name];
    if (a.required || a.optional) unknown[a.name] = cty.UNKNOWN;
  }
  return {
    'sample values': sample,
    'required arguments only': cty.fillBlock(block, required),
    'every argument unknown': cty.fillBlock(block, unknown),
  };
}

/** Realistic product configs that must plan without errors: {type: {what: values}}. */
function productCases(emu) {
  const o = emu.account('owner');
  const svc = {
    vpc_id: o.vpc_id,
    port_id: o.port_id,
    server_type: 'VM',
    port: [{ client_port: 80, server_port: 8080 }],
  };
  return {
    vpcep_service: {
      'realistic service': { ...svc, name: 'conf-plan', tags: { env: 'conformance' } },
      'service with unknown name, description, tags and port': {
        ...svc,
        name: cty.UNKNOWN,
        description: cty.UNKNOWN,
        tags: cty.UNKNOWN,
        port: [{ client_port: cty.UNKNOWN, server_port: 8080 }],
      },
    },
    vpcep_endpoint: {
      // The usual case: the endpoint's service is created in the same apply.
      'endpoint to a service not created yet (service_id unknown)': {
        service_id: cty.UNKNOWN,
        vpc_id: o.vpc_id,
        subnet_id: o.subnet_id,
      },
      'endpoint with unknown vpc and subnet': { service_id: cty.UNKNOWN, vpc_id: cty.UNKNOWN, subnet_id: cty.UNKNOWN },
    },
    vpcep_approval: {
      'approval of endpoints not created yet': { service_id: cty.UNKNOWN, endpoints: cty.UNKNOWN },
      'approval with one unknown endpoint': { service_id: cty.UNKNOWN, endpoints: [cty.UNKNOWN] },
    },
  };
}

forEachTarget('plans', (t) => {
  const s = scope();
  const emus = [];
  const { after } = require('node:test');
  after(async () => {
    for (const e of emus.splice(0)) await e.stop();
  });

  for (const protocols of ['5', '6']) {
    it(`validate and plan every resource, validate every data source (protocol ${protocols})`, async (tc) => {
      const { p, c, schema } = await s.start(t.bin, { protocols });
      const cfg = plugin.config();
      if (t.name === 'terraform-provider-vpcep' && cfg.emulator && fs.existsSync(cfg.emulator)) {
        const emu = await startEmulator(cfg.emulator, { delayMs: 0 });
        emus.push(emu);
        await tf.configureProvider(c, schema, emu.providerConfig('owner'));
      } else {
        const block = schema.provider.block || {};
        const conf = await c.provider(c.m.configure, {
          terraform_version: '1.11.4',
          config: { msgpack: cty.encode(cty.fillBlock(block, {}), cty.impliedType(block)) },
        });
        assert.ok(conf, 'Configure answered');
      }
      const problems = [];
      const mustPlan = emus.length > 0 ? productCases(emus[emus.length - 1]) : {};
      for (const [name, sch] of Object.entries(schema.resource_schemas || {})) {
        const block = sch.block;
        const type = cty.impliedType(block);
        const cases = Object.entries(variants(block)).map(([what, values]) => [what, values, false]);
        for (const [what, values] of Object.entries(mustPlan[name] || {})) cases.push([what, cty.fillBlock(block, values), true]);
        for (const [what, values, must] of cases) {
          const cfgBytes = cty.encode(values, type);
          const v = await c.provider(c.m.validateResource, { type_name: name, config: { msgpack: cfgBytes } });
          assert.ok(v, `${name} ${what}: validate answered`);
          const proposed = tf.proposedNew(block, null, values);
          const res = await c.provider(
            'PlanResourceChange',
            {
              type_name: name,
              prior_state: { msgpack: tf.NULL },
              proposed_new_state: { msgpack: cty.encode(proposed, type) },
              config: { msgpack: cfgBytes },
              client_capabilities: { deferral_allowed: false, write_only_attributes_allowed: true },
            },
            { timeoutMs: 20000 },
          );
          if (must) assert.deepEqual(plugin.errors(res.diagnostics), [], `${name} (${what}) must plan: ${plugin.diagText(res.diagnostics)}`);
          if (plugin.errors(res.diagnostics).length > 0) {
            tc.diagnostic(`${name} (${what}): refused: ${plugin.errors(res.diagnostics)[0].summary}`);
            continue; // refusing is fine
          }
          tc.diagnostic(`${name} (${what}): planned`);
          const planned = tf.dvValue(res.planned_state);
          for (const x of cty.conformance(planned, type)) problems.push(`${name} (${what}): ${x}`);
          for (const x of tf.planProblems(block, null, values, planned)) problems.push(`${name} (${what}): ${x}`);
          // Unknown config values stay unknown (Terraform: "planned value for a non-computed
          // attribute" / "does not match config value").
          for (const a of block.attributes || []) {
            if (values[a.name] instanceof cty.Unknown && !(planned[a.name] instanceof cty.Unknown)) {
              problems.push(`${name} (${what}): .${a.name} is unknown in config but planned ${tf.show(planned[a.name])}`);
            }
          }
        }
      }
      for (const [name, sch] of Object.entries(schema.data_source_schemas || {})) {
        const block = sch.block;
        const type = cty.impliedType(block);
        for (const [what, values] of Object.entries(variants(block))) {
          const v = await c.provider(c.m.validateData, { type_name: name, config: { msgpack: cty.encode(values, type) } });
          assert.ok(v, `data ${name} ${what}: validate answered`);
        }
      }
      assert.deepEqual(problems, []);
      assert.ok(p.alive(), 'still running');
    });
  }
});

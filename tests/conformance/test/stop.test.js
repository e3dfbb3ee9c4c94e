'use strict';
// StopProvider (v6) / Stop (v5) while an apply is waiting: Stop answers at once, the waiting
// apply returns promptly with an error diagnostic, and the process keeps answering.
// The wait: an endpoint with wait_for_acceptance = true to a service that requires approval
// (nobody approves), through the product against vpcep-emulator.

const { describe, it, after } = require('node:test');
const fs = require('node:fs');
const { assert, plugin, cty, prerequisiteProblem, settle } = require('../lib/harness');
const tf = require('../lib/terraform');
const { startEmulator } = require('../lib/emulator');

const cfg = plugin.config();
const WAIT_BEFORE_STOP_MS = 1500;
const PROMPT_MS = 5000;

function skipReason() {
  if (!cfg.provider || !fs.existsSync(cfg.provider)) return 'terraform-provider-vpcep was not built';
  if (!cfg.emulator || !fs.existsSync(cfg.emulator)) return 'vpcep-emulator was not built';
  return prerequisiteProblem();
}

describe('StopProvider during a wait [terraform-provider-vpcep + vpcep-emulator]', () => {
  const cleanup = [];
  const secrets = [];
  after(async () => {
    for (const f of cleanup.reverse()) await f();
    assert.deepEqual(await plugin.launchedStderrProblems(secrets), [], 'plugin stderr (TF_LOG=trace)');
  });

  for (const protocols of ['6', '5']) {
    it(`an endpoint waiting for acceptance is cancelled by ${protocols === '5' ? 'Stop' : 'StopProvider'} (protocol ${protocols})`, async (t) => {
      const why = skipReason();
      if (why) {
        t.skip(why);
        return;
      }
      const p = await plugin.launch(cfg.provider, { protocols, env: { TF_LOG: 'trace' } });
      cleanup.push(() => p.kill());
      const c = plugin.connect(p);
      cleanup.push(async () => c.close());
      const schema = await plugin.getSchema(c);
      const rs = schema.resource_schemas || {};
      if (!rs.vpcep_service || !rs.vpcep_endpoint) {
        t.skip("the product's schema lacks vpcep_service/vpcep_endpoint");
        return;
      }
      const emu = await startEmulator(cfg.emulator, { delayMs: 0 });
      cleanup.push(() => emu.stop());
      for (const a of emu.seed.accounts) secrets.push(a.secret_key, a.password);
      const owner = emu.account('owner');
      await tf.configureProvider(c, schema, emu.providerConfig('owner'));

      const svcCfg = {
        name: `conf-stop${protocols}`,
        vpc_id: owner.vpc_id,
        port_id: owner.port_id,
        server_type: 'VM',
        approval_enabled: true,
        port: [{ client_port: 443, server_port: 8443, protocol: 'TCP' }],
      };
      const sp = await tf.plan(c, schema, 'vpcep_service', svcCfg, tf.NULL, null);
      const svc = await tf.apply(c, 'vpcep_service', tf.NULL, sp);

      const epCfg = {
        service_id: svc.value.id,
        vpc_id: owner.vpc_id,
        subnet_id: owner.subnet_id,
        wait_for_acceptance: true,
      };
      const ep = await tf.plan(c, schema, 'vpcep_endpoint', epCfg, tf.NULL, null);
      const applying = settle(tf.apply(c, 'vpcep_endpoint', tf.NULL, ep, { raw: true, timeoutMs: 120000 }));
      let settledEarly = null;
      applying.then((r) => {
        settledEarly = settledEarly || r;
      });
      await new Promise((r) => setTimeout(r, WAIT_BEFORE_STOP_MS));
      assert.equal(settledEarly, null, `the apply must still be waiting for acceptance: ${JSON.stringify(settledEarly && (settledEarly.value || settledEarly.err.details))}`);

      const stopAt = Date.now();
      const stop = await c.provider(c.m.stop, {}, { timeoutMs: PROMPT_MS });
      assert.ok(Date.now() - stopAt < PROMPT_MS, 'Stop answered at once');
      assert.ok(!stop.Error, `Stop response error field is empty: ${stop.Error}`);

      let timer;
      const r = await Promise.race([
        applying,
        new Promise((resolve) => {
          timer = setTimeout(() => resolve(null), PROMPT_MS);
        }),
      ]);
      clearTimeout(timer);
      assert.ok(r, `the waiting apply returned within ${PROMPT_MS} ms of Stop`);
      assert.ok(r.ok, `the apply answered with a response, not a gRPC error: ${r.err && r.err.details}`);
      const errs = plugin.errors(r.value.diagnostics);
      assert.ok(errs.length > 0, `an error diagnostic: ${plugin.diagText(r.value.diagnostics)}`);
      // A create whose wait failed keeps the new ID in state, so nothing is orphaned.
      const st = tf.dvValue(r.value.new_state);
      if (st !== null) {
        assert.equal(cty.hasUnknown(st), false, 'partial state is wholly known');
        assert.ok(st.id, 'partial state carries the endpoint id');
      }
      assert.ok(p.alive(), 'the process is still running');
      const again = await plugin.getSchema(c);
      assert.ok(again.provider);
    });
  }
});

// The same through the test provider: TFPTEST_APPLY_DELAY_MS makes its apply wait (cancellable).
describe('StopProvider during a wait [tfp-test-provider]', () => {
  const cleanup = [];
  const secrets = [];
  after(async () => {
    for (const f of cleanup.reverse()) await f();
    assert.deepEqual(await plugin.launchedStderrProblems(secrets), [], 'plugin stderr (TF_LOG=trace)');
  });

  for (const protocols of ['6', '5']) {
    it(`a waiting apply is cancelled by ${protocols === '5' ? 'Stop' : 'StopProvider'}, concurrent calls still served (protocol ${protocols})`, async (t) => {
      if (!cfg.testProvider || !fs.existsSync(cfg.testProvider)) {
        t.skip('tfp-test-provider was not built');
        return;
      }
      const why = prerequisiteProblem();
      if (why) {
        t.skip(why);
        return;
      }
      const dir = fs.mkdtempSync(require('node:path').join(require('node:os').tmpdir(), 'tfpconf-store-'));
      cleanup.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
      const p = await plugin.launch(cfg.testProvider, {
        protocols,
        env: { TFPTEST_DIR: dir, TFPTEST_APPLY_DELAY_MS: '60000', TF_LOG: 'trace' },
      });
      cleanup.push(() => p.kill());
      const c = plugin.connect(p);
      cleanup.push(async () => c.close());
      const schema = await plugin.getSchema(c);
      await tf.configureProvider(c, schema, {});
      // Several applies wait at once (Terraform's parallelism); one Stop cancels them all.
      const applies = [];
      for (let i = 0; i < 3; i++) {
        const pl = await tf.plan(c, schema, 'tfptest_thing', { name: `stop-${protocols}-${i}` }, tf.NULL, null);
        applies.push(settle(tf.apply(c, 'tfptest_thing', tf.NULL, pl, { raw: true, timeoutMs: 120000 })));
      }
      let early = null;
      Promise.race(applies).then((r) => {
        early = r;
      });
      await new Promise((r) => setTimeout(r, WAIT_BEFORE_STOP_MS));
      assert.equal(early, null, 'the applies are waiting');
      // While they wait, other calls are served (a waiting handler blocks nobody).
      const during = await plugin.getSchema(c);
      assert.ok(during.provider, 'schema served while applies wait');

      const stop = await c.provider(c.m.stop, {}, { timeoutMs: PROMPT_MS });
      assert.ok(!stop.Error, `Stop response error field is empty: ${stop.Error}`);
      let timer;
      const all = await Promise.race([
        Promise.all(applies),
        new Promise((resolve) => {
          timer = setTimeout(() => resolve(null), PROMPT_MS);
        }),
      ]);
      clearTimeout(timer);
      assert.ok(all, `every waiting apply returned within ${PROMPT_MS} ms of Stop`);
      for (const r of all) {
        assert.ok(r.ok, `a response, not a gRPC error: ${r.err && r.err.details}`);
        assert.ok(plugin.errors(r.value.diagnostics).length > 0, `an error diagnostic: ${plugin.diagText(r.value.diagnostics)}`);
      }
      assert.ok(p.alive(), 'the process is still running');
      const sd = await c.call('controller', 'Shutdown', {}, { timeoutMs: 5000 });
      assert.ok(sd);
    });
  }
});

'use strict';
// plugin.GRPCController/Shutdown: answered, then the process exits (within 1 s) and removes
// its Unix socket. Terraform waits 2 s and then SIGKILLs; an unanswered Shutdown hangs it.

const { it } = require('node:test');
const fs = require('node:fs');
const path = require('node:path');
const { assert, plugin, forEachTarget, scope } = require('../lib/harness');

forEachTarget('shutdown', (t) => {
  const s = scope();
  const cases = [
    { protocols: '6', network: 'unix', mtls: true },
    { protocols: '5', network: 'unix', mtls: true },
    { protocols: '6', network: 'unix', mtls: false },
    { protocols: '5,6', network: 'tcp', mtls: true },
  ];
  for (const k of cases) {
    it(`Shutdown is answered and the process exits within 1 s (protocol ${k.protocols}, ${k.network}, ${k.mtls ? 'mTLS' : 'plaintext'})`, async () => {
      const p = await s.launch(t.bin, k);
      const c = s.connect(p);
      await plugin.getSchema(c); // a used connection, like Terraform's
      const res = await c.call('controller', 'Shutdown', {}, { timeoutMs: 5000 });
      const answeredAt = Date.now();
      assert.ok(res, 'Shutdown answered');
      let timer;
      const exit = await Promise.race([
        p.exited,
        new Promise((resolve) => {
          timer = setTimeout(() => resolve(null), 3000);
        }),
      ]);
      clearTimeout(timer);
      assert.ok(exit, 'process exited after Shutdown');
      assert.ok(exit.at - answeredAt <= 1000, `exited ${exit.at - answeredAt} ms after the answer`);
      assert.equal(exit.code, 0, `exit status ${JSON.stringify(exit)}`);
      if (k.network === 'unix') {
        assert.equal(fs.existsSync(p.hs.addr), false, `socket ${p.hs.addr} removed`);
        assert.equal(fs.existsSync(path.dirname(p.hs.addr)), false, `socket directory of ${p.hs.addr} removed`);
      }
      assert.notEqual(await plugin.within(p.closed, 2000, 'timeout'), 'timeout', 'stdout/stderr reach EOF (go-plugin waits for it)');
      assert.equal(p.extraStdout().length, 0, 'nothing on stdout after the handshake');
    });
  }

  it('SIGINT is ignored (Terraform shares its process group with the plugin)', async () => {
    const p = await s.launch(t.bin, { protocols: '6' });
    p.proc.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(p.alive(), 'still running after SIGINT');
    const c = s.connect(p);
    const res = await plugin.getSchema(c);
    assert.ok(res.provider);
  });
});

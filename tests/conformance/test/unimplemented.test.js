'use strict';
// Methods the server does not implement are answered UNIMPLEMENTED, never left hanging
// (Terraform sets no deadline: an unanswered call hangs it forever). The client uses deadlines,
// so a hang shows up as DEADLINE_EXCEEDED, which fails the test.

const { it } = require('node:test');
const { assert, plugin, forEachTarget, scope, settle } = require('../lib/harness');

const grpc = plugin.grpc;
const DEADLINE_MS = 5000;

function serverStream(c, pathName) {
  return new Promise((resolve) => {
    const call = c.raw.makeServerStreamRequest(
      pathName,
      (b) => b,
      (b) => b,
      Buffer.alloc(0),
      new grpc.Metadata(),
      { deadline: new Date(Date.now() + DEADLINE_MS) },
    );
    let messages = 0;
    call.on('data', () => {
      messages++;
    });
    call.on('error', (err) => resolve({ code: err.code, messages }));
    call.on('status', (st) => {
      if (st.code === grpc.status.OK) resolve({ code: st.code, messages });
    });
  });
}

function bidiStream(c, pathName) {
  return new Promise((resolve) => {
    const call = c.raw.makeBidiStreamRequest(pathName, (b) => b, (b) => b, new grpc.Metadata(), {
      deadline: new Date(Date.now() + DEADLINE_MS),
    });
    call.on('data', () => {});
    call.on('error', (err) => resolve({ code: err.code }));
    call.on('status', (st) => {
      if (st.code === grpc.status.OK) resolve({ code: st.code });
    });
  });
}

forEachTarget('unimplemented', (t) => {
  const s = scope();
  for (const protocols of ['5', '6']) {
    it(`unknown and unsupported methods answer UNIMPLEMENTED (protocol ${protocols})`, async () => {
      const p = await s.launch(t.bin, { protocols });
      const c = s.connect(p);
      const pkg = `tfplugin${protocols}`;
      const unary = [
        `/${pkg}.Provider/GetMetadata`,
        `/${pkg}.Provider/GetFunctions`,
        `/${pkg}.Provider/GetResourceIdentitySchemas`,
        '/conformance.Nowhere/Nothing',
        `/${pkg}.Provider/NoSuchMethod`,
      ];
      for (const m of unary) {
        const r = await settle(c.rawUnary(m, Buffer.alloc(0), { timeoutMs: DEADLINE_MS }));
        assert.equal(r.ok, false, `${m} must not succeed`);
        assert.equal(r.err.code, grpc.status.UNIMPLEMENTED, `${m}: got ${r.err.code} ${r.err.details}`);
      }

      const stdio = await serverStream(c, '/plugin.GRPCStdio/StreamStdio');
      assert.equal(stdio.code, grpc.status.UNIMPLEMENTED, `StreamStdio: got ${stdio.code}`);
      const broker = await bidiStream(c, '/plugin.GRPCBroker/StartStream');
      assert.equal(broker.code, grpc.status.UNIMPLEMENTED, `StartStream: got ${broker.code}`);

      // Concurrently, as Terraform does right after connecting, next to the first real call.
      const [a, b, schema] = await Promise.all([
        serverStream(c, '/plugin.GRPCStdio/StreamStdio'),
        bidiStream(c, '/plugin.GRPCBroker/StartStream'),
        plugin.getSchema(c),
      ]);
      assert.equal(a.code, grpc.status.UNIMPLEMENTED);
      assert.equal(b.code, grpc.status.UNIMPLEMENTED);
      assert.ok(schema.provider);
      assert.ok(p.alive());
    });
  }
});

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

      assert.ok(p.alive());
    });

    // go-plugin's stdio and broker streams are served, not refused: Terraform opens both right
    // after connecting and logged their UNIMPLEMENTED answers as errors. They stay open (no
    // answer while the plugin runs, which the deadline-free client would see as a hang only if
    // they never ended), the broker ends with OK when the client ends its side, and stdio ends
    // with OK (no data: stdout goes to stderr) when the plugin shuts down.
    it(`go-plugin stdio and broker streams are held open and end cleanly (protocol ${protocols})`, async () => {
      const p = await s.launch(t.bin, { protocols });
      const c = s.connect(p);
      let stdioEnded = false;
      const stdio = serverStream(c, '/plugin.GRPCStdio/StreamStdio').then((r) => {
        stdioEnded = true;
        return r;
      });
      const broker = await new Promise((resolve) => {
        const call = c.raw.makeBidiStreamRequest(
          '/plugin.GRPCBroker/StartStream', (b) => b, (b) => b, new grpc.Metadata(),
          { deadline: new Date(Date.now() + DEADLINE_MS) });
        call.on('data', () => {});
        call.on('error', (err) => resolve({ code: err.code }));
        call.on('status', (st) => resolve({ code: st.code }));
        call.write(Buffer.alloc(0)); // an empty ConnInfo: read and dropped
        call.end();
      });
      assert.equal(broker.code, grpc.status.OK, `StartStream: got ${broker.code}`);
      // a real call works while the stdio stream is open, and the stream is still open after it
      const schema = await plugin.getSchema(c);
      assert.ok(schema.provider);
      assert.equal(stdioEnded, false, 'StreamStdio ended while the plugin runs');
      const sd = await c.call('controller', 'Shutdown', {}, { timeoutMs: DEADLINE_MS });
      assert.ok(sd, 'Shutdown answered');
      const r = await stdio;
      assert.ok(r.code === grpc.status.OK || r.code === grpc.status.CANCELLED,
        `StreamStdio after Shutdown: got ${r.code}`);
      assert.equal(r.messages, 0);
    });
  }
});

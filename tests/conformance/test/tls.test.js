'use strict';
// AutoMTLS: the server requires and verifies the client certificate from PLUGIN_CLIENT_CERT.

const { it } = require('node:test');
const { assert, plugin, forEachTarget, scope, settle } = require('../lib/harness');
const { makeClientCert } = require('../lib/certs');

const grpc = plugin.grpc;

async function expectRefused(c, what) {
  const r = await settle(c.provider(c.m.schema, {}, { timeoutMs: 5000 }));
  assert.equal(r.ok, false, `${what}: the call must be refused`);
  assert.ok(
    [grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED, grpc.status.INTERNAL, grpc.status.UNAUTHENTICATED].includes(r.err.code),
    `${what}: unexpected status ${r.err.code} ${r.err.details}`,
  );
}

forEachTarget('mTLS', (t) => {
  const s = scope();
  for (const network of ['unix', 'tcp']) {
    for (const protocols of ['5', '6']) {
      it(`refuses clients without the trusted certificate (${network}, protocol ${protocols})`, async () => {
        const p = await s.launch(t.bin, { protocols, network, mtls: true });
        assert.ok(p.hs.cert, 'server certificate in the handshake');
        const fast = { timeoutMs: 5000 };

        // 1. TLS, trusting the server, but presenting no certificate.
        await expectRefused(s.connect(p, { tls: 'nocert' }), 'no client certificate');
        // 2. A valid-looking certificate that is not the one in PLUGIN_CLIENT_CERT.
        await expectRefused(s.connect(p, { tls: makeClientCert() }), 'untrusted client certificate');
        // 3. Plaintext to a TLS server.
        await expectRefused(s.connect(p, { tls: false }), 'plaintext client');

        // The server is still up and serves the real client.
        assert.ok(p.alive(), 'process still running');
        const c = s.connect(p);
        const res = await c.provider(c.m.schema, {}, fast);
        assert.ok(res.provider);
      });
    }
  }

  it('a plaintext server (no PLUGIN_CLIENT_CERT) serves plaintext clients', async () => {
    const p = await s.launch(t.bin, { protocols: '6', mtls: false });
    assert.equal(p.hs.cert, '');
    const c = s.connect(p, { tls: false });
    const res = await plugin.getSchema(c);
    assert.ok(res.provider);
  });
});

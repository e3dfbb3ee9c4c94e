'use strict';
// go-plugin handshake: the stdout line, protocol negotiation, AutoMTLS certificate, the magic
// cookie check and --version.

const { it } = require('node:test');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { assert, plugin, forEachTarget, scope } = require('../lib/harness');

const EXPECTED_APP = { 5: '5', 6: '6', '5,6': '6', '6,5': '6' };

/** Runs bin without the plugin environment; resolves {code, stdout, stderr}. */
function runPlain(bin, args, timeoutMs = 10000) {
  return new Promise((resolve, reject) => {
    const env = {};
    for (const [k, v] of Object.entries(process.env)) {
      if (!k.startsWith('PLUGIN_') && k !== 'TF_PLUGIN_MAGIC_COOKIE' && !k.startsWith('TFPV_CONF_')) env[k] = v;
    }
    const proc = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.on('data', (c) => {
      if (out.length < 65536) out += c;
    });
    proc.stderr.on('data', (c) => {
      if (err.length < 65536) err += c;
    });
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`${bin} ${args.join(' ')} did not exit within ${timeoutMs} ms`));
    }, timeoutMs);
    proc.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: out, stderr: err });
    });
  });
}

function checkCert(b64) {
  assert.match(b64, /^[A-Za-z0-9+/]+$/, 'certificate must be unpadded standard base64');
  assert.ok(b64.length > 50, 'certificate field must be longer than 50 characters');
  const der = Buffer.from(b64, 'base64');
  assert.equal(der.toString('base64').replace(/=+$/, ''), b64, 'base64 round trip');
  const x = new crypto.X509Certificate(der);
  assert.ok(/DNS:localhost\b/.test(x.subjectAltName || ''), `SAN must contain DNS:localhost (got ${x.subjectAltName})`);
  assert.equal(x.checkHost('localhost'), 'localhost');
  const now = Date.now();
  assert.ok(new Date(x.validFrom).getTime() <= now, `not yet valid: ${x.validFrom}`);
  assert.ok(new Date(x.validTo).getTime() > now + 3600e3, `expires too soon: ${x.validTo}`);
  assert.ok(x.verify(x.publicKey), 'self-signed certificate must verify with its own key');
  assert.ok(['ec', 'rsa', 'ed25519'].includes(x.publicKey.asymmetricKeyType), x.publicKey.asymmetricKeyType);
  if (x.keyUsage && x.keyUsage.length > 0) {
    // Go: no EKU, or an EKU including serverAuth (1.3.6.1.5.5.7.3.1).
    assert.ok(x.keyUsage.includes('1.3.6.1.5.5.7.3.1'), `EKU lacks serverAuth: ${x.keyUsage}`);
  }
  assert.ok(!/^-/.test(x.serialNumber) && !/^0*$/.test(x.serialNumber), 'serial must be positive');
}

forEachTarget('handshake', (t) => {
  const s = scope();

  for (const protocols of ['5', '6', '5,6', '6,5']) {
    for (const mtls of [false, true]) {
      it(`PLUGIN_PROTOCOL_VERSIONS=${protocols} ${mtls ? 'with' : 'without'} PLUGIN_CLIENT_CERT`, async () => {
        const p = await s.launch(t.bin, { protocols, mtls });
        assert.ok(p.stdout.subarray(0, p.line.length + 1).toString().endsWith('\n'));
        const hs = p.hs;
        assert.equal(hs.fields.length, 6, `exactly 6 fields: ${p.line}`);
        assert.equal(hs.core, '1');
        assert.equal(hs.app, EXPECTED_APP[protocols]);
        assert.equal(hs.network, 'unix');
        assert.ok(path.isAbsolute(hs.addr), `absolute socket path: ${hs.addr}`);
        assert.ok(fs.statSync(hs.addr).isSocket(), `${hs.addr} is a socket`);
        assert.ok(Buffer.byteLength(hs.addr) < 108, 'socket path fits sun_path');
        assert.equal(hs.protocol, 'grpc');
        if (mtls) checkCert(hs.cert);
        else assert.equal(hs.cert, '', 'empty 6th field without PLUGIN_CLIENT_CERT');
        // The server really speaks the announced protocol, and nothing else reaches stdout.
        const c = s.connect(p);
        const res = await plugin.getSchema(c);
        assert.ok(res.provider, 'schema has a provider');
        await new Promise((r) => setTimeout(r, 50));
        await p.kill();
        assert.notEqual(await plugin.within(p.closed, 5000, 'timeout'), 'timeout', 'stdout and stderr closed');
        assert.equal(p.extraStdout().length, 0, `nothing after the handshake on stdout: ${p.extraStdout()}`);
      });
    }
  }

  // go-plugin: with no common version the server still announces its lowest one and lets the
  // client report the incompatibility (it must not hang or print garbage).
  for (const [protocols, want] of [['7', '5'], ['4,5', '5'], ['6,7', '6']]) {
    it(`PLUGIN_PROTOCOL_VERSIONS=${protocols}: announces ${want}`, async () => {
      const p = await s.launch(t.bin, { protocols, mtls: false });
      assert.equal(p.hs.fields.length, 6);
      assert.equal(p.hs.app, want);
    });
  }

  it('serves TCP on loopback within PLUGIN_MIN_PORT..PLUGIN_MAX_PORT', async () => {
    const p = await s.launch(t.bin, { protocols: '5,6', network: 'tcp' });
    assert.equal(p.hs.network, 'tcp');
    const m = /^127\.0\.0\.1:(\d+)$/.exec(p.hs.addr);
    assert.ok(m, `tcp address 127.0.0.1:PORT, got ${p.hs.addr}`);
    assert.ok(Number(m[1]) >= 10000 && Number(m[1]) <= 25000, `port ${m[1]} in range`);
    checkCert(p.hs.cert);
  });

  it('creates the socket in PLUGIN_UNIX_SOCKET_DIR', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfpconf-sock-'));
    try {
      const p = await s.launch(t.bin, { protocols: '6', socketDir: dir });
      assert.ok(p.hs.addr.startsWith(dir + path.sep), `${p.hs.addr} is inside ${dir}`);
      await p.kill();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  // go-plugin leaves the socket straight in $TMPDIR with the umask's mode (0777 under umask
  // 000): anyone on the machine could connect. Ours is in a directory only we can enter.
  for (const umask of [0o000, 0o022, 0o077]) {
    it(`the Unix socket is private under umask ${umask.toString(8).padStart(3, '0')}: directory 0700, socket 0600, both removed on exit`, async () => {
      const base = fs.mkdtempSync(path.join(os.tmpdir(), 'tfpconf-priv-'));
      try {
        const p = await s.launch(t.bin, { protocols: '6', socketDir: base, umask });
        const dir = path.dirname(p.hs.addr);
        assert.equal(path.dirname(dir), base, `the socket ${p.hs.addr} is in its own directory under ${base}`);
        const ds = fs.lstatSync(dir);
        assert.ok(ds.isDirectory(), `${dir} is a directory`);
        assert.equal((ds.mode & 0o7777).toString(8), '700', `directory ${dir} mode`);
        assert.equal(ds.uid, process.getuid(), 'directory owner');
        const ss = fs.lstatSync(p.hs.addr);
        assert.ok(ss.isSocket(), `${p.hs.addr} is a socket`);
        assert.equal((ss.mode & 0o7777).toString(8), '600', `socket ${p.hs.addr} mode`);
        assert.equal(ss.uid, process.getuid(), 'socket owner');
        // still reachable by us
        const c = s.connect(p);
        assert.ok((await plugin.getSchema(c)).provider);
        await p.kill();
        assert.equal(fs.existsSync(p.hs.addr), false, `socket ${p.hs.addr} removed`);
        assert.equal(fs.existsSync(dir), false, `directory ${dir} removed`);
      } finally {
        fs.rmSync(base, { recursive: true, force: true });
      }
    });
  }

  it('started without the magic cookie: a message for humans on stderr, exit 1', async () => {
    const r = await runPlain(t.bin, []);
    assert.equal(r.code, 1, `exit code (stderr: ${r.stderr})`);
    assert.equal(r.stdout, '', 'nothing on stdout');
    assert.ok(r.stderr.trim().length > 20, `a message on stderr: ${JSON.stringify(r.stderr)}`);
    assert.match(r.stderr, /plugin/i);
  });

  it('--version prints the version', async () => {
    const r = await runPlain(t.bin, ['--version']);
    assert.equal(r.code, 0, `exit code (stderr: ${r.stderr})`);
    assert.match(r.stdout, /\d+\.\d+\.\d+/);
  });
});

'use strict';
// Launches a plugin binary exactly like go-plugin's client (client.go) and connects to it with
// @grpc/grpc-js, an implementation independent of the C server's gRPC core.

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');
const { makeClientCert, derB64ToPem } = require('./certs');

const MAGIC_COOKIE_KEY = 'TF_PLUGIN_MAGIC_COOKIE';
const MAGIC_COOKIE = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';
const DEFAULT_DEADLINE_MS = 10000;
const MAX_CAPTURE = 1 << 20; // bounded capture of the child's stdout/stderr

const live = new Set();
const launched = []; // every plugin started by this file, for the stderr checks
process.on('exit', () => {
  for (const p of live) {
    try {
      p.proc.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
});

// ---------------------------------------------------------------------------------------------
// Configuration handed over by run.js (from CMake)

function config() {
  return {
    provider: process.env.TFPV_CONF_PROVIDER || '',
    testProvider: process.env.TFPV_CONF_TEST_PROVIDER || '',
    emulator: process.env.TFPV_CONF_EMULATOR || '',
    protoDir: process.env.TFPV_CONF_PROTO_DIR || path.resolve(__dirname, '../../../proto'),
  };
}

/** The binaries under test that exist: [{name, bin}]. */
function targets() {
  const c = config();
  const out = [];
  if (c.provider && fs.existsSync(c.provider)) out.push({ name: 'terraform-provider-vpcep', bin: c.provider });
  if (c.testProvider && fs.existsSync(c.testProvider)) out.push({ name: 'tfp-test-provider', bin: c.testProvider });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Protos

let protoCache = null;
function listProtos(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listProtos(p));
    else if (e.name.endsWith('.proto')) out.push(path.relative(dir, p));
  }
  return out.sort();
}

/** Loads every .proto under the project's proto/ directory; returns the package definition. */
function protos() {
  if (protoCache) return protoCache;
  const dir = config().protoDir;
  if (!fs.existsSync(dir)) throw new Error(`proto directory ${dir} not found`);
  const files = listProtos(dir);
  if (files.length === 0) throw new Error(`no .proto files in ${dir}`);
  protoCache = protoLoader.loadSync(files, {
    includeDirs: [dir],
    keepCase: true,
    longs: Number,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  return protoCache;
}

function haveProtos() {
  try {
    const d = protos();
    return Boolean(d['tfplugin5.Provider'] && d['tfplugin6.Provider'] && d['plugin.GRPCController']);
  } catch {
    return false;
  }
}

const SERVICES = {
  provider5: 'tfplugin5.Provider',
  provider6: 'tfplugin6.Provider',
  controller: 'plugin.GRPCController',
  stdio: 'plugin.GRPCStdio',
  broker: 'plugin.GRPCBroker',
  health: 'grpc.health.v1.Health',
};

/** v5/v6 method names. */
function methods(app) {
  const v5 = Number(app) === 5;
  return {
    schema: v5 ? 'GetSchema' : 'GetProviderSchema',
    validateProvider: v5 ? 'PrepareProviderConfig' : 'ValidateProviderConfig',
    validateResource: v5 ? 'ValidateResourceTypeConfig' : 'ValidateResourceConfig',
    validateData: v5 ? 'ValidateDataSourceConfig' : 'ValidateDataResourceConfig',
    configure: v5 ? 'Configure' : 'ConfigureProvider',
    stop: v5 ? 'Stop' : 'StopProvider',
  };
}

// ---------------------------------------------------------------------------------------------
// Launch

let clientCertCache = null;
function clientCert() {
  if (!clientCertCache) clientCertCache = makeClientCert();
  return clientCertCache;
}

/** Parses a go-plugin handshake line. Returns null if it is not one. */
function parseHandshake(line) {
  const f = line.trim().split('|');
  if (f.length < 4) return null;
  return {
    fields: f,
    core: f[0],
    app: f[1],
    network: f[2],
    addr: f[3],
    protocol: f[4],
    cert: f.length > 5 ? f[5] : undefined,
  };
}

/**
 * Starts `bin` the way go-plugin does. Options:
 *   protocols  PLUGIN_PROTOCOL_VERSIONS value (default "5,6")
 *   mtls       send PLUGIN_CLIENT_CERT (default true); or {certPem,keyPem} to use that cert
 *   network    'unix' (default) or 'tcp' (TFP_PLUGIN_NETWORK=tcp)
 *   socketDir  PLUGIN_UNIX_SOCKET_DIR
 *   umask      the umask to start it with (e.g. 0o000), through /bin/sh
 *   cookie     false to leave out the magic cookie
 *   args       argv after the binary
 *   env        extra environment
 *   waitHandshake  false to skip waiting for the handshake line
 */
async function launch(bin, opts = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('PLUGIN_') || k === MAGIC_COOKIE_KEY || k === 'TFP_PLUGIN_NETWORK' || k === 'TFP_PROTOCOLS') continue;
    if (k.startsWith('TFPV_CONF_')) continue;
    env[k] = v;
  }
  if (opts.cookie !== false) env[MAGIC_COOKIE_KEY] = MAGIC_COOKIE;
  env.PLUGIN_PROTOCOL_VERSIONS = opts.protocols || '5,6';
  env.PLUGIN_MIN_PORT = '10000';
  env.PLUGIN_MAX_PORT = '25000';
  let cert = null;
  if (opts.mtls !== false) {
    cert = typeof opts.mtls === 'object' ? opts.mtls : clientCert();
    env.PLUGIN_CLIENT_CERT = cert.certPem;
  }
  if (opts.socketDir) env.PLUGIN_UNIX_SOCKET_DIR = opts.socketDir;
  if (opts.network === 'tcp') env.TFP_PLUGIN_NETWORK = 'tcp';
  Object.assign(env, opts.env || {});

  // With a umask, /bin/sh sets it and execs the binary (same pid, so signals and /proc work).
  const proc =
    opts.umask === undefined
      ? spawn(bin, opts.args || [], { env, stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn('/bin/sh', ['-c', `umask ${opts.umask.toString(8).padStart(3, '0')} && exec "$0" "$@"`, bin, ...(opts.args || [])], {
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
  const p = {
    bin,
    proc,
    cert,
    stdout: Buffer.alloc(0),
    stderr: Buffer.alloc(0),
    hs: null,
    line: null,
    exitInfo: null,
  };
  live.add(p);
  launched.push(p);
  p.exited = new Promise((resolve) => {
    proc.on('exit', (code, signal) => {
      p.exitInfo = { code, signal, at: Date.now() };
      live.delete(p);
      resolve(p.exitInfo);
    });
    proc.on('error', (err) => {
      p.exitInfo = { code: -1, signal: null, error: err, at: Date.now() };
      live.delete(p);
      resolve(p.exitInfo);
    });
  });
  // stdio closed too (go-plugin waits for pipe EOF as part of "exited").
  p.closed = new Promise((resolve) => proc.on('close', resolve));
  const append = (which, chunk) => {
    if (p[which].length < MAX_CAPTURE) p[which] = Buffer.concat([p[which], chunk]).subarray(0, MAX_CAPTURE);
  };
  proc.stderr.on('data', (c) => append('stderr', c));
  const gotLine = new Promise((resolve) => {
    proc.stdout.on('data', (c) => {
      append('stdout', c);
      const nl = p.stdout.indexOf(0x0a);
      if (nl >= 0 && p.line === null) {
        p.line = p.stdout.subarray(0, nl).toString('utf8');
        resolve();
      }
    });
    proc.stdout.on('end', resolve);
  });
  p.alive = () => p.exitInfo === null;
  p.extraStdout = () => {
    const nl = p.stdout.indexOf(0x0a);
    return nl < 0 ? Buffer.alloc(0) : p.stdout.subarray(nl + 1);
  };
  p.stderrText = () => p.stderr.toString('utf8');
  // SIGTERM first: the plugin then stops serving and removes its socket file; SIGKILL only
  // when it does not exit within 2 s (a leftover socket in $TMPDIR per run otherwise).
  p.kill = async () => {
    if (p.alive()) {
      proc.kill('SIGTERM');
      const timer = setTimeout(() => {
        if (p.alive()) proc.kill('SIGKILL');
      }, 2000);
      await p.exited;
      clearTimeout(timer);
    }
    await p.exited;
  };
  if (opts.waitHandshake === false) return p;

  const timeoutMs = opts.timeoutMs || 15000;
  let timer;
  await Promise.race([
    gotLine,
    p.exited,
    new Promise((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  if (p.line === null) {
    await p.kill();
    throw new Error(`no handshake line from ${bin} (exit ${JSON.stringify(p.exitInfo)}); stderr: ${p.stderrText().slice(-2000)}`);
  }
  p.hs = parseHandshake(p.line);
  if (!p.hs) {
    await p.kill();
    throw new Error(`unrecognized handshake line: ${JSON.stringify(p.line)}`);
  }
  return p;
}

// ---------------------------------------------------------------------------------------------
// Connect

/**
 * Connects to a launched plugin. Options:
 *   maxMessageBytes: largest message sent or received (default 64 MiB)
 *   tls: 'auto' (default: use the launch cert when the handshake has a cert),
 *        'nocert' (TLS trusting the server but presenting no client cert),
 *        {certPem,keyPem} (present this cert), or false (plaintext)
 */
function connect(p, opts = {}) {
  const hs = p.hs;
  const target = hs.network === 'unix' ? `unix:${hs.addr}` : hs.addr;
  let creds;
  const chanOpts = {
    'grpc.max_receive_message_length': opts.maxMessageBytes || 64 << 20,
    'grpc.max_send_message_length': opts.maxMessageBytes || 64 << 20,
    // One channel per connect(): no sharing with other tests' connections.
    'grpc.use_local_subchannel_pool': 1,
    'grpc.enable_retries': 0,
    // go-plugin dials grpc.Dial("unused", WithContextDialer(...)): the :authority is "unused";
    // with TLS the verification name (SNI) is "localhost".
    'grpc.default_authority': 'unused',
  };
  const tls = opts.tls === undefined ? 'auto' : opts.tls;
  if (tls !== false && hs.cert) {
    const root = Buffer.from(derB64ToPem(hs.cert));
    let mine = null;
    if (tls === 'auto') mine = p.cert;
    else if (typeof tls === 'object') mine = tls;
    creds = mine
      ? grpc.credentials.createSsl(root, Buffer.from(mine.keyPem), Buffer.from(mine.certPem))
      : grpc.credentials.createSsl(root);
    chanOpts['grpc.ssl_target_name_override'] = 'localhost';
  } else {
    creds = grpc.credentials.createInsecure();
  }
  const raw = new grpc.Client(target, creds, chanOpts);
  const def = protos();
  const clients = {};
  const client = (key) => {
    if (!clients[key]) {
      const name = SERVICES[key];
      if (!def[name]) throw new Error(`service ${name} not found in ${config().protoDir}`);
      const Ctor = grpc.makeClientConstructor(def[name], name);
      clients[key] = new Ctor(target, creds, { channelOverride: raw.getChannel() });
    }
    return clients[key];
  };
  const app = Number(hs.app);
  const conn = {
    app,
    m: methods(app),
    raw,
    client,
    /** Unary call on service key ('provider' = the negotiated tfplugin major). */
    call(svc, method, req, o = {}) {
      const key = svc === 'provider' ? `provider${app}` : svc;
      const c = client(key);
      if (typeof c[method] !== 'function') return Promise.reject(new Error(`${SERVICES[key]} has no ${method}`));
      const deadline = new Date(Date.now() + (o.timeoutMs || DEFAULT_DEADLINE_MS));
      return new Promise((resolve, reject) => {
        c[method](req || {}, new grpc.Metadata(), { deadline }, (err, res) => (err ? reject(err) : resolve(res)));
      });
    },
    /** Unary call on the negotiated provider service. */
    provider(method, req, o) {
      return conn.call('provider', method, req, o);
    },
    /** Unary call with raw request bytes and raw response bytes. */
    rawUnary(pathName, bytes, o = {}) {
      const deadline = new Date(Date.now() + (o.timeoutMs || DEFAULT_DEADLINE_MS));
      return new Promise((resolve, reject) => {
        raw.makeUnaryRequest(
          pathName,
          () => Buffer.from(bytes),
          (b) => b,
          {},
          new grpc.Metadata(),
          { deadline },
          (err, res) => (err ? reject(err) : resolve(res)),
        );
      });
    },
    close() {
      for (const c of Object.values(clients)) c.close();
      raw.close();
    },
  };
  return conn;
}

/** Fetches the schema with the negotiated protocol. */
async function getSchema(conn) {
  const res = await conn.provider(conn.m.schema, {}, { timeoutMs: 15000 });
  return res;
}

/** Errors (severity ERROR) among diagnostics. */
function errors(diags) {
  return (diags || []).filter((d) => d.severity === 'ERROR' || d.severity === 1);
}

function diagText(diags) {
  return (diags || []).map((d) => `${d.severity}: ${d.summary}${d.detail ? ' - ' + d.detail : ''}`).join('\n');
}

const GO_TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}(Z|[+-]\d\d:\d\d)$/;
const LEVELS = ['trace', 'debug', 'info', 'warn', 'error'];

/**
 * Problems in a plugin's stderr as go-plugin's client reads it (client.go logStderr,
 * log_entry.go): a JSON line needs string @level/@message/@timestamp (a non-string crashes
 * Terraform), a known level and Go's timestamp layout; no line may start "panic: " or
 * "fatal error: " (Terraform's crash detection); no sanitizer reports; none of `secrets`.
 */
function stderrProblems(p, secrets = []) {
  const problems = [];
  const text = p.stderrText();
  for (const s of secrets) if (s && text.includes(s)) problems.push(`a secret appears on stderr (${s.length} characters)`);
  if (/AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:/.test(text)) {
    problems.push(`sanitizer report: ${text.slice(Math.max(0, text.search(/Sanitizer|runtime error:/) - 200), 3000)}`);
  }
  const lines = text.split('\n');
  if (p.stderr.length >= MAX_CAPTURE) lines.pop(); // the capture cut the last line
  for (const line of lines) {
    const l = line.replace(/\r$/, '');
    if (l.trim() === '') continue;
    if (/^(panic: |fatal error: )/.test(l)) problems.push(`line looks like a Go panic to Terraform: ${l.slice(0, 200)}`);
    if (!l.startsWith('{')) continue;
    let o;
    try {
      o = JSON.parse(l);
    } catch {
      continue; // logged verbatim at DEBUG: harmless
    }
    if (o === null || typeof o !== 'object' || Array.isArray(o)) continue;
    for (const k of ['@level', '@message', '@timestamp']) {
      if (k in o && typeof o[k] !== 'string') problems.push(`${k} is not a string (crashes Terraform): ${l.slice(0, 200)}`);
    }
    if (typeof o['@level'] === 'string' && !LEVELS.includes(o['@level'])) problems.push(`unknown @level: ${l.slice(0, 200)}`);
    if (typeof o['@timestamp'] === 'string' && !GO_TIMESTAMP.test(o['@timestamp'])) {
      problems.push(`@timestamp not in Go's 2006-01-02T15:04:05.000000Z07:00 layout: ${o['@timestamp']}`);
    }
  }
  return problems.slice(0, 20);
}

/** stderrProblems over every plugin launched so far (waits for their stderr to close). */
async function launchedStderrProblems(secrets = []) {
  const out = [];
  for (const p of launched.splice(0)) {
    await within(p.closed, 5000);
    for (const x of stderrProblems(p, secrets)) out.push(`${path.basename(p.bin)} pid ${p.proc.pid}: ${x}`);
  }
  return out;
}

/** Resolves with the promise's value, or `fallback` after `ms` milliseconds. */
function within(promise, ms, fallback = null) {
  let timer;
  return Promise.race([
    promise,
    new Promise((resolve) => {
      timer = setTimeout(() => resolve(fallback), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

async function killAll() {
  await Promise.all([...live].map((p) => p.kill()));
}

module.exports = {
  MAGIC_COOKIE,
  config,
  targets,
  protos,
  haveProtos,
  methods,
  launch,
  connect,
  getSchema,
  parseHandshake,
  errors,
  diagText,
  killAll,
  within,
  stderrProblems,
  launchedStderrProblems,
  clientCert,
  grpc,
};

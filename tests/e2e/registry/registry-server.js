#!/usr/bin/env node
'use strict';
// A small implementation of Terraform's provider registry protocol (service discovery plus
// providers.v1), serving the release files of scripts/release.sh over HTTPS:
//
//   GET /.well-known/terraform.json                       {"providers.v1": "/v1/providers/"}
//   GET /v1/providers/<ns>/vpcep/versions                 the version, its protocols and platforms
//   GET /v1/providers/<ns>/vpcep/<V>/download/<os>/<arch> filename, download_url, shasums_url,
//                                                         shasums_signature_url, shasum,
//                                                         signing_keys.gpg_public_keys
//   GET /files/<ns>/<file>                                the files themselves
//
// Namespace "otc" serves dist/ as it is. Namespace "tampered" serves the same release, except
// that its SHA256SUMS carries one more line than the signature covers: a registry client that
// checks the signature must refuse it.
//
//   node registry-server.js --dist DIR --key KEY.pem --cert CERT.pem --gpg-key PUBKEY.asc
//                           --key-id KEYID --log FILE
// Listens on 127.0.0.1, port chosen by the system; prints "https://localhost:<port>" as its
// first line once it accepts connections. Every request is appended to the --log file.

const fs = require('node:fs');
const https = require('node:https');
const path = require('node:path');

function args() {
  const a = {};
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || i + 1 >= argv.length) {
      throw new Error(`bad argument ${argv[i]}`);
    }
    a[argv[i].slice(2)] = argv[i + 1];
  }
  for (const k of ['dist', 'key', 'cert', 'gpg-key', 'key-id', 'log']) {
    if (!a[k]) throw new Error(`--${k} is required`);
  }
  return a;
}

const opt = args();
const NAME = 'terraform-provider-vpcep';
const PROTOCOLS = JSON.parse(
  fs.readFileSync(fs.readdirSync(opt.dist).filter((f) => f.endsWith('_manifest.json'))
    .map((f) => path.join(opt.dist, f))[0], 'utf8')).metadata.protocol_versions;
const armor = fs.readFileSync(opt['gpg-key'], 'utf8');

// The release in dist/: its version and platforms, from the zip names.
const zips = fs.readdirSync(opt.dist).filter((f) => f.startsWith(`${NAME}_`) && f.endsWith('.zip'));
const platforms = [];
let version = null;
for (const z of zips) {
  const m = z.match(/^terraform-provider-vpcep_([0-9]+\.[0-9]+\.[0-9]+)_([a-z0-9]+)_([a-z0-9]+)\.zip$/);
  if (!m) continue;
  version = m[1];
  platforms.push({ os: m[2], arch: m[3], filename: z });
}
if (!version) throw new Error(`no release zips in ${opt.dist}`);
const SUMS = `${NAME}_${version}_SHA256SUMS`;
const sumsText = fs.readFileSync(path.join(opt.dist, SUMS), 'utf8');
const shasum = {};
for (const line of sumsText.split('\n')) {
  const m = line.match(/^([0-9a-f]{64})  (\S+)$/);
  if (m) shasum[m[2]] = m[1];
}

const NAMESPACES = {
  otc: (file) => fs.readFileSync(path.join(opt.dist, file)),
  tampered: (file) => {
    const data = fs.readFileSync(path.join(opt.dist, file));
    if (file !== SUMS) return data;
    return Buffer.concat([data, Buffer.from(`${'0'.repeat(64)}  ${NAME}_${version}_linux_386.zip\n`)]);
  },
};

function log(line) {
  fs.appendFileSync(opt.log, `${line}\n`);
}

function send(res, status, body, type) {
  const data = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  res.writeHead(status, { 'Content-Type': type || 'application/json', 'Content-Length': data.length });
  res.end(data);
}

let base = '';
const server = https.createServer({ key: fs.readFileSync(opt.key), cert: fs.readFileSync(opt.cert) }, (req, res) => {
  const url = new URL(req.url, base);
  const p = url.pathname;
  log(`${req.method} ${p}`);
  if (req.method !== 'GET') return send(res, 405, { errors: ['method not allowed'] });
  if (p === '/.well-known/terraform.json') return send(res, 200, { 'providers.v1': '/v1/providers/' });

  let m = p.match(/^\/v1\/providers\/([^/]+)\/vpcep\/versions$/);
  if (m && NAMESPACES[m[1]]) {
    return send(res, 200, {
      versions: [{ version, protocols: PROTOCOLS, platforms: platforms.map(({ os, arch }) => ({ os, arch })) }],
    });
  }
  m = p.match(/^\/v1\/providers\/([^/]+)\/vpcep\/([^/]+)\/download\/([^/]+)\/([^/]+)$/);
  if (m && NAMESPACES[m[1]]) {
    const [, ns, v, os, arch] = m;
    const pf = platforms.find((x) => x.os === os && x.arch === arch);
    if (v !== version || !pf) return send(res, 404, { errors: ['not found'] });
    const files = `${base}/files/${ns}`;
    return send(res, 200, {
      protocols: PROTOCOLS,
      os,
      arch,
      filename: pf.filename,
      download_url: `${files}/${pf.filename}`,
      shasums_url: `${files}/${SUMS}`,
      shasums_signature_url: `${files}/${SUMS}.sig`,
      shasum: shasum[pf.filename],
      signing_keys: { gpg_public_keys: [{ key_id: opt['key-id'], ascii_armor: armor }] },
    });
  }
  m = p.match(/^\/files\/([^/]+)\/([^/]+)$/);
  if (m && NAMESPACES[m[1]] && fs.existsSync(path.join(opt.dist, m[2]))) {
    return send(res, 200, NAMESPACES[m[1]](m[2]), 'application/octet-stream');
  }
  return send(res, 404, { errors: ['not found'] });
});

server.listen(0, '127.0.0.1', () => {
  base = `https://localhost:${server.address().port}`;
  process.stdout.write(`${base}\n`);
});

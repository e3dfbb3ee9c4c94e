'use strict';
// One-time client certificates, made like go-plugin's AutoMTLS (mtls.go): ECDSA P-521 key,
// self-signed, CN/SAN localhost, O=HashiCorp, CA:true, EKU clientAuth+serverAuth,
// ecdsa-with-SHA512. Made with the openssl CLI (Node's crypto cannot sign certificates).

const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

function haveOpenssl() {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Returns {certPem, keyPem} of a new one-time client certificate. */
function makeClientCert(cn = 'localhost') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfpconf-cert-'));
  try {
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req', '-x509', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-521', '-nodes',
        '-keyout', key, '-out', cert, '-days', '2', '-sha512',
        '-set_serial', '0x' + crypto.randomBytes(16).toString('hex').replace(/^[89a-f]/, '1'),
        '-subj', `/O=HashiCorp/CN=${cn}`,
        '-addext', `subjectAltName=DNS:${cn}`,
        '-addext', 'extendedKeyUsage=clientAuth,serverAuth',
        '-addext', 'keyUsage=critical,digitalSignature,keyEncipherment,keyAgreement,keyCertSign',
        '-addext', 'basicConstraints=critical,CA:TRUE',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    return { certPem: fs.readFileSync(cert, 'utf8'), keyPem: fs.readFileSync(key, 'utf8') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Raw std base64 (no padding) of a DER certificate -> PEM. */
function derB64ToPem(b64) {
  const der = Buffer.from(b64, 'base64');
  const body = der.toString('base64').match(/.{1,64}/g).join('\n');
  return `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
}

module.exports = { haveOpenssl, makeClientCert, derB64ToPem };

'use strict';
// Starts vpcep-emulator (tests/emulator) on loopback and reads its base URL and seed.

const { spawn, execFileSync } = require('node:child_process');

const live = new Set();
process.on('exit', () => {
  for (const p of live) {
    try {
      p.kill('SIGKILL');
    } catch {
      /* gone */
    }
  }
});

/** Starts the emulator; resolves {url, seed, account(name), stop()}. */
async function startEmulator(bin, o = {}) {
  const seed = JSON.parse(execFileSync(bin, ['--print-seed'], { encoding: 'utf8', timeout: 10000 }));
  const args = ['--listen', '127.0.0.1:0', '--delay-ms', String(o.delayMs === undefined ? 50 : o.delayMs)];
  const proc = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(proc);
  let out = '';
  let err = '';
  proc.stderr.on('data', (c) => {
    if (err.length < 65536) err += c;
  });
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => {
    live.delete(proc);
    resolve({ code, signal });
  }));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`emulator printed no URL within 15 s; stderr: ${err}`)), 15000);
    proc.stdout.on('data', (c) => {
      out += c;
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(out.slice(0, nl).trim().replace(/\/$/, ''));
      }
    });
    exited.then((e) => {
      clearTimeout(timer);
      reject(new Error(`emulator exited during start-up (${JSON.stringify(e)}): ${err}`));
    });
  });
  if (!/^https?:\/\/127\.0\.0\.1:\d+$/.test(url)) throw new Error(`unexpected emulator URL line: ${url}`);
  return {
    url,
    seed,
    stderr: () => err,
    account(name) {
      const a = seed.accounts.find((x) => x.name === name);
      if (!a) throw new Error(`no account ${name} in the seed`);
      const vpc = a.vpcs[0];
      return {
        ...a,
        vpc_id: vpc.id,
        subnet_id: vpc.subnets[0].id,
        port_id: vpc.ports[0].id,
      };
    },
    /** Provider configuration values for account `name`. */
    providerConfig(name) {
      const a = this.account(name);
      return {
        endpoint: url,
        auth_url: `${url}/v3`,
        region: seed.region,
        project_id: a.project_id,
        access_key: a.access_key,
        secret_key: a.secret_key,
      };
    },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
    },
  };
}

module.exports = { startEmulator };

#!/usr/bin/env node
'use strict';
// ctest entry point: node run.js [--provider BIN] [--test-provider BIN] [--emulator BIN]
//                                [--proto-dir DIR] test/<area>.test.js
// Runs the file with Node's built-in test runner (spec output, standard summary) and maps
// "nothing ran, everything skipped" and missing prerequisites to exit code 77 (ctest SKIP).

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const SKIP = 77;

function main() {
  const argv = process.argv.slice(2);
  const env = { ...process.env };
  const files = [];
  const flags = {
    '--provider': 'TFPV_CONF_PROVIDER',
    '--test-provider': 'TFPV_CONF_TEST_PROVIDER',
    '--emulator': 'TFPV_CONF_EMULATOR',
    '--proto-dir': 'TFPV_CONF_PROTO_DIR',
  };
  for (let i = 0; i < argv.length; i++) {
    if (flags[argv[i]]) {
      if (i + 1 >= argv.length) {
        console.error(`run.js: ${argv[i]} needs a value`);
        return 2;
      }
      env[flags[argv[i]]] = path.resolve(argv[++i]);
    } else {
      files.push(path.resolve(__dirname, argv[i]));
    }
  }
  if (files.length === 0) {
    console.error('usage: run.js [--provider BIN] [--test-provider BIN] [--emulator BIN] [--proto-dir DIR] FILE...');
    return 2;
  }
  for (const m of ['@grpc/grpc-js', '@grpc/proto-loader', '@msgpack/msgpack']) {
    try {
      require.resolve(m, { paths: [__dirname] });
    } catch {
      console.log(`FAIL: npm package ${m} is not installed (run: cd tests/conformance && npm ci; scripts/setup.sh does)`);
      return 1;
    }
  }
  const tapFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tfpconf-run-')), 'out.tap');
  const r = spawnSync(
    process.execPath,
    [
      '--test',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tapFile}`,
      ...files,
    ],
    { env, stdio: 'inherit', cwd: __dirname },
  );
  let tap = '';
  try {
    tap = fs.readFileSync(tapFile, 'utf8');
  } catch {
    /* no TAP output: the runner itself failed */
  }
  fs.rmSync(path.dirname(tapFile), { recursive: true, force: true });
  const count = (name) => {
    const m = tap.match(new RegExp(`^# ${name} (\\d+)$`, 'm'));
    return m ? Number(m[1]) : 0;
  };
  if (r.status === 0 && count('pass') === 0 && count('skipped') > 0 && count('fail') === 0) {
    console.log('SKIP: every test case was skipped');
    return SKIP;
  }
  if (r.status === null) return 1;
  return r.status;
}

process.exit(main());

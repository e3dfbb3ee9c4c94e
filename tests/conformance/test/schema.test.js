'use strict';
// GetSchema (v5) / GetProviderSchema (v6) over Unix socket and TCP, with and without mTLS, and
// the health service. The schema checks are Terraform's own (configschema.InternalValidate and
// convert.ProtoToConfigSchema): a malformed schema crashes or stops Terraform.

const { it } = require('node:test');
const { assert, plugin, cty, forEachTarget, scope } = require('../lib/harness');

const NAME_RE = /^[a-z0-9_]+$/;

function checkBlock(block, where, v6, problems) {
  if (!block) {
    problems.push(`${where}: missing block`);
    return;
  }
  const names = new Set();
  for (const a of block.attributes || []) {
    const at = `${where}.${a.name}`;
    if (!a.name) problems.push(`${where}: attribute without a name`);
    if (names.has(a.name)) problems.push(`${at}: duplicate name`);
    names.add(a.name);
    const hasType = a.type && a.type.length > 0;
    if (hasType && a.nested_type) problems.push(`${at}: both type and nested_type`);
    if (!hasType && !a.nested_type) problems.push(`${at}: neither type nor nested_type`);
    if (!v6 && a.nested_type) problems.push(`${at}: nested_type in protocol 5`);
    if (hasType) {
      try {
        cty.parseType(a.type);
      } catch (e) {
        problems.push(`${at}: type ${JSON.stringify(Buffer.from(a.type).toString())} is not a valid cty type JSON: ${e.message}`);
      }
    }
    if (a.nested_type) checkBlock({ attributes: a.nested_type.attributes }, at, v6, problems);
    const { required, optional, computed } = a;
    if (!required && !optional && !computed) problems.push(`${at}: none of required/optional/computed`);
    if (required && optional) problems.push(`${at}: required and optional`);
    if (required && computed) problems.push(`${at}: required and computed`);
    if (a.deprecation_message && !a.deprecated) problems.push(`${at}: deprecation_message without deprecated`);
  }
  for (const b of block.block_types || []) {
    const at = `${where}.${b.type_name}`;
    if (!NAME_RE.test(b.type_name || '')) problems.push(`${at}: block type name must match ${NAME_RE}`);
    if (names.has(b.type_name)) problems.push(`${at}: block name collides with an attribute`);
    names.add(b.type_name);
    const n = cty.nestingName(b.nesting);
    const min = Number(b.min_items || 0);
    const max = Number(b.max_items || 0);
    switch (n) {
      case 'SINGLE':
        if (min !== max || min > 1) problems.push(`${at}: SINGLE needs min = max in {0,1}`);
        break;
      case 'GROUP':
        if (min !== 0 || max !== 0) problems.push(`${at}: GROUP needs 0/0`);
        break;
      case 'LIST':
      case 'SET':
        if (min < 0 || max < 0 || (max !== 0 && min > max)) problems.push(`${at}: min ${min} > max ${max}`);
        break;
      case 'MAP':
        if (min !== 0 || max !== 0) problems.push(`${at}: MAP needs 0/0`);
        break;
      default:
        problems.push(`${at}: invalid nesting ${b.nesting}`);
    }
    checkBlock(b.block, at, v6, problems);
  }
}

function checkSchema(s, where, v6, problems) {
  if (!s) {
    problems.push(`${where}: missing`);
    return;
  }
  if (Number(s.version) < 0) problems.push(`${where}: negative version`);
  checkBlock(s.block, where, v6, problems);
  if (s.block) {
    try {
      cty.impliedType(s.block);
    } catch (e) {
      problems.push(`${where}: no implied type: ${e.message}`);
    }
  }
}

forEachTarget('schema', (t) => {
  const s = scope();
  for (const network of ['unix', 'tcp']) {
    for (const mtls of [true, false]) {
      for (const protocols of ['5', '6']) {
        it(`${protocols === '5' ? 'GetSchema' : 'GetProviderSchema'} over ${network} ${mtls ? 'with' : 'without'} mTLS, and health`, async () => {
          const p = await s.launch(t.bin, { protocols, network, mtls });
          assert.equal(p.hs.network, network);
          const c = s.connect(p);
          const res = await plugin.getSchema(c);
          assert.deepEqual(plugin.errors(res.diagnostics), [], plugin.diagText(res.diagnostics));
          const problems = [];
          checkSchema(res.provider, 'provider', protocols === '6', problems);
          for (const [name, sch] of Object.entries(res.resource_schemas || {})) {
            if (!NAME_RE.test(name)) problems.push(`resource ${name}: bad type name`);
            checkSchema(sch, `resource ${name}`, protocols === '6', problems);
          }
          for (const [name, sch] of Object.entries(res.data_source_schemas || {})) {
            if (!NAME_RE.test(name)) problems.push(`data source ${name}: bad type name`);
            checkSchema(sch, `data source ${name}`, protocols === '6', problems);
          }
          if (res.provider_meta && res.provider_meta.block) checkSchema(res.provider_meta, 'provider_meta', protocols === '6', problems);
          assert.deepEqual(problems, []);
          assert.ok(
            Object.keys(res.resource_schemas || {}).length + Object.keys(res.data_source_schemas || {}).length > 0,
            'at least one resource or data source',
          );

          const h = await c.call('health', 'Check', { service: 'plugin' });
          assert.equal(h.status, 'SERVING');
          const h2 = await c.call('health', 'Check', { service: '' });
          assert.equal(h2.status, 'SERVING');
        });
      }
    }
  }
});

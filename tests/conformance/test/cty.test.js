'use strict';
// The client's own cty encoding, checked against bytes Terraform v1.11.4 really sent
// (go-cty's encodings, observed traces), so the conformance tests speak real cty.

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const cty = require('../lib/cty');

const hex = (b) => Buffer.from(b).toString('hex');
const OBJ = ['object', { id: 'string', name: 'string', note: 'string' }];

describe('cty msgpack (client side)', () => {
  it('objects: every attribute, sorted keys, null = c0, unknown = d4 00 00', () => {
    assert.equal(hex(cty.encode({ id: null, name: 'alpha', note: 'n1' }, OBJ)), '83a26964c0a46e616d65a5616c706861a46e6f7465a26e31');
    assert.equal(hex(cty.encode({ name: 'alpha', note: 'n1', id: cty.UNKNOWN }, OBJ)), '83a26964d40000a46e616d65a5616c706861a46e6f7465a26e31');
    assert.equal(hex(cty.encode({}, ['object', {}])), '80');
    assert.equal(hex(cty.encode(null, OBJ)), 'c0');
    assert.throws(() => cty.encode({ name: 'a', note: null }, OBJ), /missing attribute id/);
    assert.throws(() => cty.encode({ id: null, name: 'a', note: null, x: 1 }, OBJ), /unsupported attribute x/);
  });

  it('numbers: int, float64, or a decimal string when neither is exact', () => {
    const L = ['list', 'number'];
    assert.equal(hex(cty.encode([3], L)), '9103');
    assert.equal(hex(cty.encode([-7], L)), '91f9');
    assert.equal(hex(cty.encode([2.5], L)), '91cb4004000000000000');
    assert.equal(hex(cty.encode(['0.1'], L)), '91a3302e31');
    assert.equal(hex(cty.encode([10n ** 20n], L)), '91b5313030303030303030303030303030303030303030');
  });

  it('dynamic values carry their type; refined unknowns are ext 12 with integer keys', () => {
    assert.equal(hex(cty.encode(new cty.Dynamic('string', 'abc'), 'dynamic')), '92c40822737472696e6722a3616263');
    const r = cty.encode(new cty.Unknown({ nullness: false, prefix: 'ab' }), 'string');
    assert.equal(hex(r), 'c7070c8201c202a26162');
    const back = cty.decode(r);
    assert.ok(back instanceof cty.Unknown);
    assert.deepEqual(back.refinements, { nullness: false, prefix: 'ab' });
  });

  it('decoding: any extension is unknown; conformance finds missing attributes', () => {
    const v = cty.decode(Buffer.from('83a26964d40000a46e616d65a5616c706861a46e6f7465a26e31', 'hex'));
    assert.ok(v.id instanceof cty.Unknown);
    assert.ok(cty.decode(Buffer.from('d60501020304', 'hex')) instanceof cty.Unknown);
    assert.deepEqual(cty.conformance({ id: 'x', name: 'y' }, OBJ), ['$: missing attribute note']);
  });

  it('implied types of blocks follow configschema (nesting modes, nested attributes)', () => {
    const s = (t) => Buffer.from(JSON.stringify(t));
    const block = {
      attributes: [
        { name: 'a', type: s('string'), required: true },
        { name: 'n', nested_type: { nesting: 'SET', attributes: [{ name: 'x', type: s('number'), optional: true }] } },
      ],
      block_types: [
        { type_name: 'l', nesting: 'LIST', block: { attributes: [{ name: 'p', type: s('bool'), optional: true }] } },
        { type_name: 'g', nesting: 'GROUP', block: { attributes: [{ name: 'q', type: s(['map', 'string']), optional: true }] } },
        { type_name: 'o', nesting: 'SINGLE', block: {} },
      ],
    };
    assert.deepEqual(cty.impliedType(block), [
      'object',
      {
        a: 'string',
        n: ['set', ['object', { x: 'number' }]],
        l: ['list', ['object', { p: 'bool' }]],
        g: ['object', { q: ['map', 'string'] }],
        o: ['object', {}],
      },
    ]);
    assert.deepEqual(cty.fillBlock(block, { a: 'v' }), { a: 'v', n: null, l: [], g: { q: null }, o: null });
    assert.throws(() => cty.parseType(Buffer.from('string')));
    assert.throws(() => cty.parseType(Buffer.from('["list"]')));
  });
});

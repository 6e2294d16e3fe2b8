/**
 * The DER reader and writer against asn1js, the project's reference DER library
 * (der-reader.ts says why the handshake path does not use it).
 *
 * Reader: every sample message and thousands of mutations of them (bit flips, truncation,
 * inserted and deleted octets, rewritten lengths) go through both. Where asn1js accepts
 * and every constructed element's children exactly fill it, the trees must be equal; where
 * asn1js refuses, the reader must refuse too. The reader may refuse more only for the
 * reasons DER gives (a child overrunning its parent, which asn1js lets through; a
 * constructed INTEGER or string; end-of-contents in a definite length; a non-minimal or
 * huge tag number).
 *
 * Writer: random values of every type the encoders build, at the length boundaries
 * (127/128, 255/256, 65535/65536 octets), against asn1js's encoding of the same value.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as asn1js from 'asn1js';
import { toHex } from '../../../src/core/bytes.ts';
import { GssockError } from '../../../src/core/errors.ts';
import { type DerNode, readDerTree } from '../../../src/providers/kerberos/messages/der-reader.ts';
import * as der from '../../../src/providers/kerberos/messages/der.ts';
import * as m from '../../../src/providers/kerberos/messages/index.ts';
import * as s from './samples.ts';

/** Deterministic PRNG (mulberry32), so a failure reproduces from its seed. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LIMITS = { maxDepth: 48, maxNodes: 200_000 };

interface Shape {
  cls: number;
  tag: number;
  constructed: boolean;
  content: string;
  children: Shape[];
}

const shapeOf = (n: DerNode): Shape => ({
  cls: n.tagClass,
  tag: n.tag,
  constructed: n.constructed,
  content: toHex(n.content),
  children: n.children.map(shapeOf),
});

type Block = asn1js.BaseBlock & { valueBlock: { value?: Block[] }; blockLength: number };

/**
 * asn1js's view: the same shape, or why it is not one DER tree. `overrun` marks inputs
 * where asn1js accepted a child longer than what its parent's length leaves.
 */
function reference(input: Uint8Array): { shape?: Shape; overrun?: boolean; refused?: string } {
  let parsed: asn1js.FromBerResult;
  try {
    parsed = asn1js.fromBER(input, { maxDepth: 48, maxNodes: 200_000, parseEmbedded: false });
  } catch (e) {
    // asn1js throws on some content (strings it cannot convert): a refusal all the same.
    return { refused: `threw ${(e as Error).message}` };
  }
  if (parsed.offset === -1) return { refused: parsed.result.error || 'error' };
  if (parsed.offset !== input.length) return { refused: 'trailing' };
  let overrun = false;
  let structural = '';
  const walk = (b: Block): Shape | undefined => {
    if (!b.idBlock || !b.lenBlock) {
      structural = `an element asn1js could not frame (${b.constructor.name})`;
      return undefined;
    }
    if (b.error || b.idBlock.isHexOnly || b.lenBlock.isIndefiniteForm) return undefined;
    const raw = b.valueBeforeDecodeView;
    const contentLength = b.lenBlock.length;
    const children: Shape[] = [];
    if (b.idBlock.isConstructed) {
      let sum = 0;
      for (const c of b.valueBlock.value ?? []) {
        const shape = walk(c);
        if (!shape) return undefined;
        children.push(shape);
        sum += c.blockLength;
      }
      if (sum !== contentLength) overrun = true;
    }
    return {
      cls: b.idBlock.tagClass - 1,
      tag: b.idBlock.tagNumber,
      constructed: b.idBlock.isConstructed,
      content: toHex(raw.subarray(raw.length - contentLength)),
      children,
    };
  };
  const shape = walk(parsed.result as Block);
  if (!shape) return { refused: structural || 'block error' };
  return { shape, overrun };
}

/** Whether asn1js refuses the contents of some primitive of the tree, taken alone. */
function valueRefused(node: DerNode): boolean {
  if (node.constructed) return node.children.some(valueRefused);
  const alone = reference(node.raw);
  return alone.refused !== undefined;
}

function ours(input: Uint8Array): { shape?: Shape; refused?: string } {
  try {
    return { shape: shapeOf(readDerTree(input, 'x', LIMITS)) };
  } catch (e) {
    assert.ok(e instanceof GssockError && e.code === 'MALFORMED', `non-MALFORMED error: ${e}`);
    return { refused: e.message };
  }
}

const corpus: Uint8Array[] = [
  m.encodeTicket(s.ticket),
  m.encodeEncTicketPart(s.encTicketPart),
  m.encodeAuthenticator(s.authenticator),
  m.encodeApReq(s.apReq),
  m.encodeApRep(s.apRep),
  m.encodeEncApRepPart(s.encApRepPart),
  m.encodeKdcReqBody(s.kdcReqBody),
  m.encodeKrbError(s.krbError),
  m.encodeKrbCred(s.krbCred),
  m.encodeKdcRep(s.kdcRep),
];

function mutate(input: Uint8Array, rnd: () => number): Uint8Array {
  const at = Math.floor(rnd() * input.length);
  switch (Math.floor(rnd() * 5)) {
    case 0: {
      const out = input.slice();
      out[at] = out[at]! ^ (1 << Math.floor(rnd() * 8));
      return out;
    }
    case 1:
      return input.slice(0, at);
    case 2:
      return Uint8Array.from([...input.subarray(0, at), Math.floor(rnd() * 256), ...input.subarray(at)]);
    case 3:
      return Uint8Array.from([...input.subarray(0, at), ...input.subarray(at + 1)]);
    default: {
      // A length-looking octet rewritten with a long or indefinite form.
      const out = input.slice();
      out[at] = [0x80, 0x81, 0x82, 0x84, 0x85, 0xff, 0x7f][Math.floor(rnd() * 7)]!;
      return out;
    }
  }
}

describe('DER reader against asn1js', () => {
  it('reads every sample message as asn1js does', () => {
    for (const input of corpus) {
      const ref = reference(input);
      assert.equal(ref.refused, undefined);
      assert.deepEqual(ours(input).shape, ref.shape);
    }
  });

  it('agrees on 20,000 mutated messages (stricter only where DER says so)', () => {
    const rnd = prng(0x5eed);
    const counts = { bothAccept: 0, bothRefuse: 0, stricter: 0, valueOnly: 0 };
    for (let n = 0; n < 20_000; n++) {
      let input = corpus[n % corpus.length]!;
      const rounds = 1 + Math.floor(rnd() * 3);
      for (let r = 0; r < rounds && input.length > 0; r++) input = mutate(input, rnd);
      const ref = reference(input);
      const got = ours(input);
      const where = `input ${toHex(input)}`;
      if (ref.refused !== undefined) {
        // asn1js also checks the contents of primitives (OID sub-identifiers, time digits),
        // which the typed readers in asn1.ts / primitives.ts check later. A refusal the reader
        // does not share is allowed only if asn1js refuses one of its primitives on its own.
        if (got.shape && valueRefused(readDerTree(input, 'x', LIMITS))) {
          counts.valueOnly++;
          continue;
        }
        assert.ok(got.refused, `asn1js refused (${ref.refused}), the reader accepted: ${where}`);
        counts.bothRefuse++;
      } else if (got.refused) {
        // DER rules asn1js does not always apply: X.690 §8.1.2.4 tag numbers, §8.1.5
        // end-of-contents, §10.2 primitive-only types, and lengths past any accepted size.
        const derRule = /tag number|end-of-contents|must be (primitive|constructed)|more than 4 octets/;
        const allowed = ref.overrun || derRule.test(got.refused);
        assert.ok(allowed, `reader refused (${got.refused}) a tree asn1js accepted: ${where}`);
        counts.stricter++;
      } else {
        assert.ok(!ref.overrun, `reader accepted an overrun: ${where}`);
        assert.deepEqual(got.shape, ref.shape, where);
        counts.bothAccept++;
      }
    }
    // The mutations must exercise both outcomes, or this test proves nothing.
    assert.ok(counts.bothAccept > 1000, JSON.stringify(counts));
    assert.ok(counts.bothRefuse > 1000, JSON.stringify(counts));
  });

  it('refuses what asn1js accepts beyond DER: overrunning children, indefinite lengths', () => {
    // [1] announces 4 octets, its INTEGER 5 (the vector asn1js let through).
    const overrun = Uint8Array.from([0x30, 0x07, 0xa1, 0x04, 0x02, 0x03, 0x0f, 0x42, 0x40]);
    assert.equal(reference(overrun).overrun, true);
    assert.match(ours(overrun).refused ?? '', /bad DER/);
    const indefinite = Uint8Array.from([0x30, 0x80, 0x02, 0x01, 0x05, 0x00, 0x00]);
    assert.match(ours(indefinite).refused ?? '', /indefinite/);
  });
});

/** The same value, built by der.ts and by asn1js. */
type Case = [string, der.Asn, asn1js.BaseBlock];

function randomBytes(rnd: () => number, n: number): Uint8Array {
  return Uint8Array.from({ length: n }, () => Math.floor(rnd() * 256));
}

function cases(rnd: () => number): Case[] {
  const out: Case[] = [];
  const ints = [0, 1, -1, 127, 128, -128, -129, 255, 256, 32767, 32768, -32769, 0x7fffffff, -0x80000000];
  for (let i = 0; i < 40; i++) ints.push(Math.floor(rnd() * 2 ** 32) - 2 ** 31);
  for (const v of ints) out.push([`int32 ${v}`, der.int32(v), new asn1js.Integer({ value: v })]);
  for (const v of [0x80000000, 0xffffffff, 0xdeadbeef, Math.floor(rnd() * 2 ** 32)])
    out.push([`uint32 ${v}`, der.uint32(v), new asn1js.Integer({ value: v })]);
  for (const v of [0, 5, 127, 255, 0x7fffffff])
    out.push([`enumerated ${v}`, der.enumerated(v), new asn1js.Enumerated({ value: v })]);
  for (const n of [0, 1, 127, 128, 255, 256, 65535, 65536, 70000]) {
    const b = randomBytes(rnd, n);
    out.push([`octets ${n}`, der.octets(b), new asn1js.OctetString({ valueHex: b })]);
  }
  for (const text of ['', 'alice', 'EXAMPLE.TEST', 'ünïcødé/host']) {
    const utf8 = new TextEncoder().encode(text);
    out.push([`string '${text}'`, der.kerberosString(text), new asn1js.GeneralString({ valueHex: utf8 })]);
  }
  for (const flags of [0, 0x40810010, 0xffffffff]) {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, flags);
    out.push([
      `flags ${flags}`,
      der.kerberosFlags(flags),
      new asn1js.BitString({ valueHex: b, unusedBits: 0 }),
    ]);
  }
  out.push(['boolean true', der.boolean(true), new asn1js.Boolean({ value: true })]);
  out.push(['boolean false', der.boolean(false), new asn1js.Boolean({ value: false })]);
  for (const tag of [0, 1, 12, 30, 31, 127, 128, 16383, 16384]) {
    const inner = randomBytes(rnd, 3);
    out.push([
      `[${tag}]`,
      der.explicit(tag, der.octets(inner)),
      new asn1js.Constructed({
        idBlock: { tagClass: 3, tagNumber: tag },
        value: [new asn1js.OctetString({ valueHex: inner })],
      }),
    ]);
    out.push([
      `[APPLICATION ${tag}]`,
      der.application(tag, der.int32(tag)),
      new asn1js.Constructed({
        idBlock: { tagClass: 2, tagNumber: tag },
        value: [new asn1js.Integer({ value: tag })],
      }),
    ]);
  }
  // A nested SEQUENCE of fields, one of them long enough for a 3-octet length.
  const big = randomBytes(rnd, 300);
  out.push([
    'fields',
    der.fields([
      [0, der.int32(5)],
      [1, undefined],
      [2, der.sequenceOf([der.kerberosString('host'), der.kerberosString('x')])],
      [3, der.octets(big)],
    ]),
    new asn1js.Sequence({
      value: [
        new asn1js.Constructed({
          idBlock: { tagClass: 3, tagNumber: 0 },
          value: [new asn1js.Integer({ value: 5 })],
        }),
        new asn1js.Constructed({
          idBlock: { tagClass: 3, tagNumber: 2 },
          value: [
            new asn1js.Sequence({
              value: [
                new asn1js.GeneralString({ valueHex: new TextEncoder().encode('host') }),
                new asn1js.GeneralString({ valueHex: new TextEncoder().encode('x') }),
              ],
            }),
          ],
        }),
        new asn1js.Constructed({
          idBlock: { tagClass: 3, tagNumber: 3 },
          value: [new asn1js.OctetString({ valueHex: big })],
        }),
      ],
    }),
  ]);
  return out;
}

describe('DER writer against asn1js', () => {
  it('encodes every type as asn1js does, across length and tag-number boundaries', () => {
    for (const seed of [1, 2, 3]) {
      for (const [name, ours, ref] of cases(prng(seed))) {
        const expected = toHex(new Uint8Array(ref.toBER(false)));
        assert.notEqual(expected, '', `asn1js could not encode ${name}`);
        assert.equal(toHex(der.toDer(ours)), expected, name);
      }
    }
  });

  it('embeds pre-encoded DER unchanged, and refuses values outside the ASN.1 types', () => {
    const ticket = m.encodeTicket(s.ticket);
    const wrapped = der.toDer(der.explicit(3, der.rawDer(ticket)));
    assert.equal(toHex(wrapped.subarray(wrapped.length - ticket.length)), toHex(ticket));
    assert.throws(() => der.int32(2 ** 31), /INVALID_ARGUMENT|cannot encode/);
    assert.throws(() => der.uint32(-1), /cannot encode/);
    assert.throws(() => der.microseconds(1_000_000), /cannot encode/);
    assert.throws(() => der.rawDer(new Uint8Array(1)), /cannot encode/);
  });
});

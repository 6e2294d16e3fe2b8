/**
 * SPNEGO token codec: hand-built RFC 4178 / MS-SPNG vectors both ways, round trips of
 * random tokens, and hostile input (truncations, random bytes, wrong shapes) that must
 * end in a typed MALFORMED from the peer, never another exception.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import * as asn1js from 'asn1js';
import fc from 'fast-check';
import { fromHex, toHex } from '../../src/core/bytes.ts';
import { Flags } from '../../src/core/flags.ts';
import { GssockError } from '../../src/core/errors.ts';
import { explicit, fields, rawDer, sequenceOf, toDer } from '../../src/providers/kerberos/messages/der.ts';
import { encodeGssInitialToken } from '../../src/providers/kerberos/messages/gss-token.ts';
import {
  decodeNegotiationToken,
  encodeMechTypeList,
  encodeNegTokenInit,
  encodeNegTokenInit2,
  encodeNegTokenResp,
  MAX_MECH_TYPES,
  NegState,
  type NegStateName,
  SPNEGO_OID,
} from '../../src/providers/spnego/index.ts';

const V = JSON.parse(readFileSync(new URL('./vectors/rfc4178-tokens.json', import.meta.url), 'utf8'));

function assertMalformed(fn: () => unknown, what: string): void {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof GssockError, `${what}: not a GssockError: ${String(e)}`);
    assert.ok(['MALFORMED', 'DEFECTIVE_TOKEN'].includes(e.code), `${what}: code ${e.code}`);
    assert.equal(e.origin, 'peer', what);
    return;
  }
  assert.fail(`${what}: decoded without error`);
}

const oid = fc
  .tuple(
    fc.constantFrom(0, 1, 2),
    fc.integer({ min: 0, max: 39 }),
    fc.array(fc.nat({ max: 2 ** 31 }), { maxLength: 6 }),
  )
  .map(([a, b, rest]) => [a, b, ...rest].join('.'));
const bytes = fc.uint8Array({ minLength: 0, maxLength: 300 });

describe('SPNEGO messages: hand-built RFC 4178 vectors', () => {
  it('NegTokenInit encodes to the vector and decodes from it', () => {
    const v = V.negTokenInit;
    const built = encodeNegTokenInit({ mechTypes: v.mechTypes, mechToken: fromHex(v.mechTokenHex) });
    assert.equal(toHex(built), v.hex);
    const t = decodeNegotiationToken(fromHex(v.hex));
    assert.equal(t.kind, 'init');
    if (t.kind !== 'init') return;
    assert.deepEqual(t.mechTypes, v.mechTypes);
    assert.equal(toHex(t.mechToken!), v.mechTokenHex);
    assert.equal(toHex(t.mechTypesDer), v.mechTypesDerHex);
    assert.equal(toHex(encodeMechTypeList(v.mechTypes)), v.mechTypesDerHex);
  });

  it('NegTokenResp encodes to the vector and decodes from it', () => {
    const v = V.negTokenResp;
    const built = encodeNegTokenResp({
      negState: v.negState,
      supportedMech: v.supportedMech,
      responseToken: fromHex(v.responseTokenHex),
      mechListMIC: fromHex(v.mechListMICHex),
    });
    assert.equal(toHex(built), v.hex);
    const t = decodeNegotiationToken(fromHex(v.hex));
    assert.deepEqual(
      t.kind === 'resp' && {
        ...t,
        responseToken: toHex(t.responseToken!),
        mechListMIC: toHex(t.mechListMIC!),
      },
      {
        kind: 'resp',
        negState: v.negState,
        supportedMech: v.supportedMech,
        responseToken: v.responseTokenHex,
        mechListMIC: v.mechListMICHex,
      },
    );
  });

  it('NegTokenInit2 (MS-SPNG) encodes to the vector; its [3] is read as negHints, not a MIC', () => {
    const v = V.negTokenInit2;
    assert.equal(toHex(encodeNegTokenInit2({ mechTypes: v.mechTypes })), v.hex);
    const t = decodeNegotiationToken(fromHex(v.hex));
    assert.ok(t.kind === 'init');
    assert.deepEqual(t.negHints, { hintName: v.hintName });
    assert.equal(t.mechListMIC, undefined);
  });

  it('a NegTokenResp inside the SPNEGO framing (old Sun SPNEGO) is accepted', () => {
    const v = V.negTokenResp;
    const t = decodeNegotiationToken(encodeGssInitialToken(SPNEGO_OID, fromHex(v.hex)));
    assert.equal(t.kind, 'resp');
  });

  it('reqFlags (BIT STRING, delegFlag = bit 0) are read as GSS flags', () => {
    // [0] mechTypes {krb5}, [1] reqFlags 03 02 01 62 = 0110001 (one unused bit):
    // mutualFlag(1), replayFlag(2), integFlag(6).
    const body = fromHex('a0173015a00d300b06092a864886f712010202a10403020162');
    const t = decodeNegotiationToken(encodeGssInitialToken(SPNEGO_OID, body));
    assert.ok(t.kind === 'init');
    assert.equal(t.reqFlags, Flags.MUTUAL | Flags.REPLAY | Flags.INTEG);
  });
});

describe('SPNEGO messages: round trips', () => {
  it('NegTokenInit round-trips', () => {
    fc.assert(
      fc.property(
        fc.array(oid, { minLength: 1, maxLength: 8 }),
        fc.option(bytes, { nil: undefined }),
        fc.option(bytes, { nil: undefined }),
        (mechTypes, mechToken, mechListMIC) => {
          const t = decodeNegotiationToken(encodeNegTokenInit({ mechTypes, mechToken, mechListMIC }));
          assert.ok(t.kind === 'init');
          assert.deepEqual(t.mechTypes, mechTypes);
          assert.deepEqual(t.mechToken && [...t.mechToken], mechToken && [...mechToken]);
          assert.deepEqual(t.mechListMIC && [...t.mechListMIC], mechListMIC && [...mechListMIC]);
          assert.deepEqual([...t.mechTypesDer], [...encodeMechTypeList(mechTypes)]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('NegTokenResp round-trips', () => {
    const state = fc.option(fc.constantFrom(...(Object.keys(NegState) as NegStateName[])), {
      nil: undefined,
    });
    const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
    fc.assert(
      fc.property(
        state,
        opt(oid),
        opt(bytes),
        opt(bytes),
        (negState, supportedMech, responseToken, mechListMIC) => {
          const t = decodeNegotiationToken(
            encodeNegTokenResp({ negState, supportedMech, responseToken, mechListMIC }),
          );
          assert.ok(t.kind === 'resp');
          assert.equal(t.negState, negState);
          assert.equal(t.supportedMech, supportedMech);
          assert.deepEqual(t.responseToken && [...t.responseToken], responseToken && [...responseToken]);
          assert.deepEqual(t.mechListMIC && [...t.mechListMIC], mechListMIC && [...mechListMIC]);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('SPNEGO messages: hostile input', () => {
  it('every truncation of the vectors is MALFORMED (peer)', () => {
    for (const key of ['negTokenInit', 'negTokenResp', 'negTokenInit2']) {
      const full = fromHex(V[key].hex);
      for (let n = 0; n < full.length; n++)
        assertMalformed(() => decodeNegotiationToken(full.subarray(0, n)), `${key}[0..${n})`);
    }
  });

  it('random bytes and single-bit flips never escape as anything but a typed error', () => {
    const full = fromHex(V.negTokenInit.hex);
    fc.assert(
      fc.property(fc.nat({ max: full.length * 8 - 1 }), (bit) => {
        const copy = full.slice();
        copy[bit >> 3]! ^= 1 << (bit & 7);
        try {
          decodeNegotiationToken(copy);
        } catch (e) {
          assert.ok(e instanceof GssockError && e.origin === 'peer', String(e));
        }
      }),
      { numRuns: 400 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        try {
          decodeNegotiationToken(b);
        } catch (e) {
          assert.ok(e instanceof GssockError && e.origin === 'peer', String(e));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('shapes RFC 4178 forbids are refused', () => {
    const init = fromHex(V.negTokenInit.hex);
    // An unframed NegTokenInit (only NegTokenResp travels without the RFC 2743 header).
    assertMalformed(() => decodeNegotiationToken(init.subarray(10)), 'unframed NegTokenInit');
    // Framed for Kerberos instead of SPNEGO.
    assertMalformed(
      () => decodeNegotiationToken(encodeGssInitialToken('1.2.840.113554.1.2.2', init.subarray(10))),
      'wrong OID',
    );
    // [2] is not a NegotiationToken choice.
    const resp = fromHex(V.negTokenResp.hex);
    const wrongChoice = resp.slice();
    wrongChoice[0] = 0xa2;
    assertMalformed(() => decodeNegotiationToken(wrongChoice), 'choice [2]');
    // negState 4 is not defined.
    assertMalformed(() => decodeNegotiationToken(fromHex('a1073005a0030a0104')), 'negState 4');
    // Fields out of order.
    assertMalformed(
      () => decodeNegotiationToken(fromHex('a10e300ca20404027879a0030a0100')),
      'fields out of order',
    );
    // An empty mechanism list.
    const empty = encodeGssInitialToken(SPNEGO_OID, fromHex('a0063004a0023000'));
    assertMalformed(() => decodeNegotiationToken(empty), 'empty mechTypes');
  });

  it('more than MAX_MECH_TYPES mechanisms and oversized tokens are refused', () => {
    const oids = Array.from({ length: MAX_MECH_TYPES + 1 }, (_, i) =>
      rawDer(new Uint8Array(new asn1js.ObjectIdentifier({ value: `1.2.3.${i}` }).toBER(false))),
    );
    const body = toDer(explicit(0, fields([[0, sequenceOf(oids)]])));
    assertMalformed(
      () => decodeNegotiationToken(encodeGssInitialToken(SPNEGO_OID, body)),
      'too many mechanisms',
    );
    assertMalformed(() => decodeNegotiationToken(new Uint8Array(300 * 1024)), 'oversized');
  });
});

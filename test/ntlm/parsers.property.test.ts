/**
 * Every NTLM parser, fed random and truncated input, throws typed errors only (never a
 * crash, a RangeError or a hang), and round-trips what its encoder makes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isGssockError } from '../../src/core/errors.ts';
import {
  decodeAuthenticate,
  decodeAvPairs,
  decodeChallenge,
  decodeNegotiate,
  encodeAuthenticate,
  encodeAvPairs,
  encodeChallenge,
  encodeNegotiate,
  MAX_MESSAGE_SIZE,
  parseUserFile,
  SessionSecurity,
} from '../../src/providers/ntlm/index.ts';
import { handshake } from './support.ts';

const PARSERS: Array<[string, (b: Uint8Array) => unknown]> = [
  ['NEGOTIATE', decodeNegotiate],
  ['CHALLENGE', decodeChallenge],
  ['AUTHENTICATE', decodeAuthenticate],
  ['AV pairs', decodeAvPairs],
];

function typedOnly(parse: (b: Uint8Array) => unknown, input: Uint8Array): void {
  try {
    parse(input);
  } catch (e) {
    assert.ok(isGssockError(e), `not a GssockError: ${String(e)}`);
    if (e.code !== 'INVALID_ARGUMENT') assert.equal(e.origin, 'peer');
  }
}

const signature = Uint8Array.of(0x4e, 0x54, 0x4c, 0x4d, 0x53, 0x53, 0x50, 0x00);
/** Random bodies behind a valid signature and message type get past the first checks. */
const headed = (type: number) =>
  fc.uint8Array({ maxLength: 300 }).map((body) => {
    const out = new Uint8Array(12 + body.length);
    out.set(signature);
    out[8] = type;
    out.set(body, 12);
    return out;
  });

describe('NTLM parsers under random input', () => {
  for (const [name, parse] of PARSERS) {
    it(`${name}: random bytes give typed errors only`, () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 400 }), (b) => typedOnly(parse, b)),
        { numRuns: 300 },
      );
    });
  }
  for (const [name, parse, type] of [
    ['NEGOTIATE', decodeNegotiate, 1],
    ['CHALLENGE', decodeChallenge, 2],
    ['AUTHENTICATE', decodeAuthenticate, 3],
  ] as const) {
    it(`${name}: random bodies behind a valid header give typed errors only`, () => {
      fc.assert(
        fc.property(headed(type), (b) => typedOnly(parse, b)),
        { numRuns: 500 },
      );
    });
  }

  it('real messages truncated at every length, and with random bytes overwritten, give typed errors only', async () => {
    const t = await handshake();
    for (const [msg, parse] of [
      [t.negotiate, decodeNegotiate],
      [t.challenge, decodeChallenge],
      [t.authenticate, decodeAuthenticate],
    ] as const) {
      for (let n = 0; n < msg.length; n++) typedOnly(parse, msg.subarray(0, n));
      fc.assert(
        fc.property(fc.nat(msg.length - 1), fc.integer({ min: 0, max: 255 }), (at, v) => {
          const m = msg.slice();
          m[at] = v;
          typedOnly(parse, m);
        }),
        { numRuns: 300 },
      );
    }
  });

  it('messages above MAX_MESSAGE_SIZE are refused before parsing (LIMIT_EXCEEDED)', () => {
    const big = new Uint8Array(MAX_MESSAGE_SIZE + 1);
    for (const [, parse] of PARSERS.slice(0, 3))
      assert.throws(
        () => parse(big),
        (e) => isGssockError(e, 'LIMIT_EXCEEDED'),
      );
  });

  it('encoders and decoders round-trip', () => {
    const text = fc.string({ maxLength: 20 }).map((s) => s.replace(/[^\x20-\x7e]/g, 'x'));
    fc.assert(
      fc.property(
        text,
        text,
        text,
        fc.uint8Array({ minLength: 24, maxLength: 80 }),
        (user, domain, ws, nt) => {
          const flags = 0xe2088235;
          const m = decodeAuthenticate(
            encodeAuthenticate(
              {
                flags,
                lmChallengeResponse: new Uint8Array(24),
                ntChallengeResponse: nt,
                domain,
                user,
                workstation: ws,
                encryptedRandomSessionKey: new Uint8Array(16).fill(1),
              },
              true,
            ),
          );
          assert.deepEqual([m.user, m.domain, m.workstation, m.ntChallengeResponse], [user, domain, ws, nt]);
          const c = decodeChallenge(
            encodeChallenge({
              flags,
              targetName: user,
              serverChallenge: new Uint8Array(8).fill(3),
              targetInfo: [{ id: 2, value: nt }],
            }),
          );
          assert.equal(c.targetName, user);
          assert.deepEqual(c.targetInfo, [{ id: 2, value: nt }]);
          assert.deepEqual(decodeAvPairs(encodeAvPairs([{ id: 1, value: nt }])), [{ id: 1, value: nt }]);
          assert.equal(
            decodeNegotiate(encodeNegotiate({ flags, domain: 'D', workstation: 'W' })).workstation,
            'W',
          );
        },
      ),
      { numRuns: 100 },
    );
  });

  it('per-message tokens: random and truncated input give typed errors only', async () => {
    const t = await handshake();
    const token = await t.initiator.wrap(Uint8Array.of(1, 2, 3));
    for (let n = 0; n < token.length; n++)
      await assert.rejects(
        async () => t.acceptor.unwrap(token.subarray(0, n)),
        (e) => isGssockError(e) && e.origin === 'peer',
      );
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 64 }), async (b) => {
        await assert.rejects(
          async () => t.acceptor.unwrap(b),
          (e) => isGssockError(e) && e.origin === 'peer',
        );
        await assert.rejects(
          async () => t.acceptor.verifyMic(Uint8Array.of(1), b),
          (e) => isGssockError(e) && e.origin === 'peer',
        );
      }),
      { numRuns: 200 },
    );
    assert.deepEqual((await t.acceptor.unwrap(token)).message, Uint8Array.of(1, 2, 3));
    assert.ok(SessionSecurity);
  });

  it('NTLM_USER_FILE parser: random text gives entries or typed errors', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        try {
          for (const e of parseUserFile(s)) assert.ok(e.user.length > 0);
        } catch (e) {
          assert.ok(isGssockError(e));
        }
      }),
      { numRuns: 300 },
    );
  });
});

/**
 * MS-NLMP §4.2.2.3, §4.2.3.3 and §4.2.4.3: the published CHALLENGE and AUTHENTICATE
 * messages (test/vectors/ms-nlmp-4.2.json; where each was checked is in its "provenance")
 * through our decoders, encoders, initiator and acceptor, and the §4.2.x.4 wrap tokens
 * through the contexts those handshakes establish.
 *
 * Where our bytes differ from the published ones, the example is the odd one out, and the
 * tests pin the difference instead of hiding it:
 * - Payload order: the examples lay out Domain, User, Workstation, then the responses and
 *   the session key; we write the responses first. §2.2.1.3 leaves the order to the sender.
 * - MIC field: the examples (a Windows XP-era client, Version 5.1.2600) have no MIC and no
 *   room for one; we reserve the 16 bytes whenever we send a Version.
 * - Empty fields: §2.2.1.2 / §2.2.1.3 say an empty field's offset SHOULD be where it would
 *   be in the payload; the §4.2.2.3 / §4.2.3.3 CHALLENGEs put 0 in TargetInfoFields.
 * - Flags: the §4.2.2.3 and §4.2.4.3 AUTHENTICATEs carry NTLMSSP_REQUEST_TARGET and
 *   NTLMSSP_NEGOTIATE_TARGET_INFO (§4.2.3.3: REQUEST_TARGET), both about what the server
 *   sends, §4.2.2.3 even though its CHALLENGE has neither: they echo the example client's
 *   NEGOTIATE, which §4.2 does not print. We send CHALLENGE ∩ what our NEGOTIATE asked.
 * - §4.2.4.3 has no MsvAvFlags, channel bindings or target name in its NTLMv2 response, and
 *   an LMv2 response next to it; a current client adds the first three (§3.1.5.1.2), so our
 *   NTProofStr cannot be the example's, only its inputs can.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { concatBytes, fromHex, toHex } from '../../src/core/bytes.ts';
import type { SecurityContext } from '../../src/core/mechanism.ts';
import { isGssockError } from '../../src/core/errors.ts';
import { rc4 } from '../../src/crypto/rc4.ts';
import {
  type AuthenticateMessage,
  decodeAuthenticate,
  decodeChallenge,
  encodeAuthenticate,
  encodeChallenge,
  encodeNegotiate,
  kxkey,
  lmowfv1,
  MemoryCredentialStore,
  NegotiateFlags as F,
  ntlm,
  ntlmv1EssResponse,
  ntlmv1Response,
  ntlmv2Response,
  ntowfv1,
  ntowfv2,
} from '../../src/providers/ntlm/index.ts';
import { crc32 } from '../../src/providers/ntlm/keystream.ts';
import { utf16le } from '../../src/providers/ntlm/wire.ts';
import v from '../vectors/ms-nlmp-4.2.json' with { type: 'json' };

const c = v.common;
const sc = fromHex(c.serverChallenge);
const cc = fromHex(c.clientChallenge);
const randomKey = fromHex(c.randomSessionKey);
const plaintext = utf16le(c.plaintext);
const u32 = (hex: string) => new DataView(fromHex(hex).buffer).getUint32(0, true);
/** The §4.2.1 Time, 0: the FILETIME epoch (1601-01-01) in Unix milliseconds. */
const FILETIME_EPOCH_MS = Date.UTC(1601, 0, 1);
/** Our RandomSource, answering with the §4.2.1 ClientChallenge and RandomSessionKey. */
const specRandom = (n: number) => (n === 16 ? randomKey.slice() : cc.slice(0, n));
const WINDOWS_XP = { major: 5, minor: 1, build: 2600, revision: 15 };
const VISTA = { major: 6, minor: 0, build: 6000, revision: 15 };

const sections = [
  { s: v.ntlmv1, v2: false },
  { s: v.ntlmv1Ess, v2: false },
  { s: v.ntlmv2, v2: true },
] as const;

describe('§4.2.x.3 CHALLENGE_MESSAGE', () => {
  for (const { s, v2 } of sections) {
    it(`${s.messages.section}: decodes to the §4.2.1 values and the section's flags`, () => {
      const m = decodeChallenge(fromHex(s.messages.challenge));
      assert.equal(m.flags, u32(s.challengeFlags));
      assert.equal(m.targetName, c.serverName);
      assert.equal(toHex(m.serverChallenge), c.serverChallenge);
      assert.deepEqual(m.version, VISTA);
      if (v2) assert.equal(toHex(m.targetInfoBytes!), v.ntlmv2.avPairs.serverNameAvList);
      else assert.equal(m.targetInfo, undefined);
    });
    it(`${s.messages.section}: our encoder rebuilds it (an empty TargetInfo aside)`, () => {
      const published = fromHex(s.messages.challenge);
      const m = decodeChallenge(published);
      const ours = encodeChallenge(m);
      assert.equal(ours.length, published.length);
      if (v2) return assert.equal(toHex(ours), s.messages.challenge);
      // Only TargetInfoBufferOffset differs: 0 in the example, the payload end (0x44) here.
      assert.equal(toHex(ours.subarray(44, 48)), '44000000');
      assert.equal(toHex(published.subarray(44, 48)), '00000000');
      ours.set(published.subarray(44, 48), 44);
      assert.equal(toHex(ours), s.messages.challenge);
    });
  }
});

/** Fields, lengths, flags and Version equal; payload order and the MIC reserve set aside. */
function assertSameMessage(ours: Uint8Array, published: Uint8Array): void {
  for (let at = 12; at <= 52; at += 8)
    assert.equal(toHex(ours.subarray(at, at + 4)), toHex(published.subarray(at, at + 4)), `Len at ${at}`);
  assert.equal(toHex(ours.subarray(60, 72)), toHex(published.subarray(60, 72)), 'flags and Version');
  const a = decodeAuthenticate(ours);
  const b = decodeAuthenticate(published);
  assert.equal(toHex(a.mic!), '00'.repeat(16));
  assert.equal(b.mic, undefined);
  delete a.mic;
  assert.deepEqual(a, b);
  assert.equal(ours.length, published.length + 16);
}

describe('§4.2.x.3 AUTHENTICATE_MESSAGE', () => {
  const nt = ntowfv1(c.password);
  const lm = lmowfv1(c.password);
  const names = { domain: c.domain, user: c.user, workstation: c.workstation, version: WINDOWS_XP };
  const build = (
    s: (typeof sections)[number]['s'],
    r: { lmChallengeResponse: Uint8Array; ntChallengeResponse: Uint8Array },
    encryptedRandomSessionKey: Uint8Array,
  ) => {
    const m: AuthenticateMessage = {
      flags: u32(s.messages.authenticateFlags),
      lmChallengeResponse: r.lmChallengeResponse,
      ntChallengeResponse: r.ntChallengeResponse,
      encryptedRandomSessionKey,
      ...names,
    };
    return encodeAuthenticate(m, false);
  };

  const parts = [
    [v.ntlmv1, v.ntlmv1.lmv1Response.hex, v.ntlmv1.ntlmv1Response.hex, v.ntlmv1.encryptedSessionKey.hex],
    [v.ntlmv1Ess, v.ntlmv1Ess.lmv1Response.hex, v.ntlmv1Ess.ntlmv1Response.hex, ''],
    [
      v.ntlmv2,
      v.ntlmv2.lmv2Response.hex,
      v.ntlmv2.ntProofStr.hex + v.ntlmv2.temp.hex,
      v.ntlmv2.encryptedSessionKey.hex,
    ],
  ] as const;
  for (const [s, lmHex, ntHex, keyHex] of parts) {
    it(`${s.messages.section}: decodes to the section's responses, key, names and Version`, () => {
      const m = decodeAuthenticate(fromHex(s.messages.authenticate));
      assert.equal(m.flags, u32(s.messages.authenticateFlags));
      assert.equal(toHex(m.lmChallengeResponse), lmHex);
      assert.equal(toHex(m.ntChallengeResponse), ntHex);
      assert.equal(toHex(m.encryptedRandomSessionKey), keyHex);
      assert.deepEqual([m.domain, m.user, m.workstation], [c.domain, c.user, c.workstation]);
      assert.deepEqual(m.version, WINDOWS_XP);
      assert.equal(m.mic, undefined);
    });
  }

  it('4.2.2.3: our encoder, fed the §4.2.2 inputs, writes the same message', () => {
    const s = v.ntlmv1;
    const r = ntlmv1Response(nt, lm, sc);
    const kx = kxkey({
      flags: u32(s.messages.authenticateFlags),
      ntlmv2: false,
      sessionBaseKey: r.sessionBaseKey,
      lmChallengeResponse: r.lmChallengeResponse,
      serverChallenge: sc,
      lmowf: lm,
    });
    const ours = build(s, r, rc4(kx, randomKey));
    assertSameMessage(ours, fromHex(s.messages.authenticate));
  });

  it('4.2.3.3: our encoder writes the same message (no key exchange: empty key)', () => {
    const s = v.ntlmv1Ess;
    const r = ntlmv1EssResponse(nt, sc, cc);
    const ours = build(s, r, new Uint8Array(0));
    assertSameMessage(ours, fromHex(s.messages.authenticate));
  });

  it('4.2.4.3: our encoder writes the same message from ntlmv2Response()', () => {
    const s = v.ntlmv2;
    const r = ntlmv2Response({
      responseKeyNT: ntowfv2(nt, c.user, c.domain),
      serverChallenge: sc,
      clientChallenge: cc,
      time: fromHex(c.time),
      avPairs: fromHex(s.avPairs.serverNameAvList),
    });
    // NTLMv2: KXKEY is the session base key (§3.4.5.1).
    const ours = build(s, r, rc4(r.sessionBaseKey, randomKey));
    assertSameMessage(ours, fromHex(s.messages.authenticate));
  });
});

async function handshakeInitiator(challengeHex: string, legacy: boolean) {
  const mech = ntlm({
    user: c.user,
    domain: c.domain,
    password: c.password,
    workstation: c.workstation,
    ...(legacy ? { allowLegacy: true, ntlmv1: true } : {}),
    random: specRandom,
    clock: () => FILETIME_EPOCH_MS,
  });
  const ctx = await mech.createContext('initiator', {});
  await ctx.step(null);
  const out = await ctx.step(fromHex(challengeHex));
  assert.equal(out.done, true);
  return { ctx, auth: decodeAuthenticate(out.outputToken!) };
}

describe('our initiator answering the published CHALLENGEs', () => {
  it('4.2.2.3 (allowLegacy, ntlmv1): the published responses and key; then the 4.2.2.4 token', async () => {
    const { ctx, auth } = await handshakeInitiator(v.ntlmv1.messages.challenge, true);
    const theirs = decodeAuthenticate(fromHex(v.ntlmv1.messages.authenticate));
    for (const k of ['lmChallengeResponse', 'ntChallengeResponse', 'encryptedRandomSessionKey'] as const)
      assert.equal(toHex(auth[k]), toHex(theirs[k]), k);
    assert.deepEqual([auth.domain, auth.user, auth.workstation], [c.domain, c.user, c.workstation]);
    // The example's AUTHENTICATE adds two flags its CHALLENGE lacks (see the file comment).
    assert.equal(
      auth.flags,
      (theirs.flags & ~(F.NTLMSSP_REQUEST_TARGET | F.NTLMSSP_NEGOTIATE_TARGET_INFO)) >>> 0,
    );
    const token = await ctx.wrap(plaintext);
    assert.equal(toHex(token.subarray(16)), v.ntlmv1.wrap.sealedData);
    assert.equal(toHex(token.subarray(0, 16)), v.ntlmv1.wrap.signatureSent);
  });

  it('4.2.4.3: the published LMv2 response and temp header; AV pairs start with the server’s', async () => {
    const { auth } = await handshakeInitiator(v.ntlmv2.messages.challenge, false);
    const theirs = decodeAuthenticate(fromHex(v.ntlmv2.messages.authenticate));
    assert.equal(toHex(auth.lmChallengeResponse), toHex(theirs.lmChallengeResponse));
    const temp = auth.ntChallengeResponse.subarray(16);
    // 0x01 0x01 Z(6) Time(0, from the clock: no MsvAvTimestamp) ClientChallenge Z(4).
    assert.equal(toHex(temp.subarray(0, 28)), v.ntlmv2.temp.hex.slice(0, 56));
    const serverPairs = v.ntlmv2.avPairs.serverNameAvList.slice(0, -8); // without MsvAvEOL
    assert.equal(toHex(temp.subarray(28, 28 + serverPairs.length / 2)), serverPairs);
    assert.equal(auth.encryptedRandomSessionKey.length, 16);
    const notEchoed = F.NTLMSSP_REQUEST_TARGET | F.NTLMSSP_NEGOTIATE_TARGET_INFO;
    assert.equal(auth.flags, (theirs.flags & ~notEchoed) >>> 0);
  });
});

async function acceptPublished(o: { s: (typeof sections)[number]['s']; password?: string; legacy: boolean }) {
  const mech = ntlm({
    credentials: new MemoryCredentialStore([
      { user: c.user, domain: c.domain, password: o.password ?? c.password },
    ]),
    allowLegacy: o.legacy,
    requireMic: false, // the examples predate the MIC
    random: (n) => sc.slice(0, n),
    clock: () => FILETIME_EPOCH_MS, // the §4.2.4 response carries Time = 0
    warn: () => {},
  });
  const ctx = await mech.createContext('acceptor', {});
  // §4.2 prints no NEGOTIATE: ask for what the AUTHENTICATE claims.
  await ctx.step(encodeNegotiate({ flags: u32(o.s.messages.authenticateFlags) }));
  const done = await ctx.step(fromHex(o.s.messages.authenticate));
  assert.equal(done.done, true);
  return ctx;
}

const sealed = (w: { signature: string; sealedData: string }) =>
  concatBytes(fromHex(w.signature), fromHex(w.sealedData));

describe('our acceptor taking the published AUTHENTICATEs, then the §4.2.x.4 tokens', () => {
  const cases = [
    { s: v.ntlmv1, legacy: true, key: c.randomSessionKey },
    { s: v.ntlmv1Ess, legacy: true, key: v.ntlmv1Ess.keyExchangeKey.hex },
    { s: v.ntlmv2, legacy: false, key: c.randomSessionKey },
  ];
  for (const { s, legacy, key } of cases) {
    it(`${s.messages.section} then ${s.wrap.section.slice(0, 7)}`, async () => {
      const ctx = await acceptPublished({ s, legacy });
      const info = ctx.info();
      assert.equal(info.peerName, `${c.domain}\\${c.user}`);
      assert.equal(toHex(info.sessionKey!), key);
      assert.deepEqual(await ctx.unwrap(sealed(s.wrap)), { message: plaintext, confidential: true, qop: 0 });
    });
    it(`${s.messages.section} with another password: LOGON_DENIED`, async () => {
      await assert.rejects(acceptPublished({ s, legacy, password: 'Passw0rd' }), (e) =>
        isGssockError(e, 'LOGON_DENIED'),
      );
    });
  }
});

describe('§3.4 half duplex without extended session security, continuing §4.2.2.4', () => {
  /** The single RC4 stream of the session, key = the exported key (no LM_KEY). */
  const stream = (n: number) => rc4(randomKey, new Uint8Array(n));
  const reply = utf16le('Reply');

  async function afterFirstMessage(): Promise<[SecurityContext, SecurityContext]> {
    const { ctx: client } = await handshakeInitiator(v.ntlmv1.messages.challenge, true);
    const server = await acceptPublished({ s: v.ntlmv1, legacy: true });
    const first = await client.wrap(plaintext);
    assert.deepEqual((await server.unwrap(first)).message, plaintext);
    return [client, server];
  }

  it('the server’s reply continues the one RC4 stream and sequence counter (SeqNum 1)', async () => {
    const [client, server] = await afterFirstMessage();
    const token = await server.wrap(reply);
    const used = plaintext.length + 12; // message 1 and its signature
    const ks = stream(used + reply.length + 12);
    const expectData = reply.map((b, i) => b ^ ks[used + i]!);
    assert.equal(toHex(token.subarray(16)), toHex(expectData));
    const at = used + reply.length;
    const body = new Uint8Array(8);
    const view = new DataView(body.buffer);
    view.setUint32(0, crc32(reply), true);
    view.setUint32(4, 1, true);
    const expectSig = body.map((b, i) => b ^ ks[at + 4 + i]!);
    assert.equal(toHex(token.subarray(0, 8)), '0100000000000000');
    assert.equal(toHex(token.subarray(8, 16)), toHex(expectSig));
    assert.deepEqual((await client.unwrap(token)).message, reply);
  });
});

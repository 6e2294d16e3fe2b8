/** MS-NLMP §4.2 test vectors (test/vectors/ms-nlmp-4.2.json), byte for byte. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromHex, toHex } from '../../src/core/bytes.ts';
import { rc4 } from '../../src/crypto/rc4.ts';
import { crc32 } from '../../src/providers/ntlm/keystream.ts';
import {
  AvId,
  decodeAvPairs,
  encodeAvPairs,
  kxkey,
  lmowfv1,
  lmowfv2,
  NegotiateFlags as F,
  ntlmv1EssResponse,
  ntlmv1Response,
  ntlmv2Response,
  ntowfv1,
  ntowfv2,
  SessionSecurity,
  sealkey,
  signkey,
} from '../../src/providers/ntlm/index.ts';
import { utf16le } from '../../src/providers/ntlm/wire.ts';
import v from '../vectors/ms-nlmp-4.2.json' with { type: 'json' };

const c = v.common;
const sc = fromHex(c.serverChallenge);
const cc = fromHex(c.clientChallenge);
const randomKey = fromHex(c.randomSessionKey);
const plaintext = utf16le(c.plaintext);
/** The flags as the spec prints them: the 4 bytes of the little-endian field. */
const flagsOf = (hex: string) => new DataView(fromHex(hex).buffer).getUint32(0, true);

describe('MS-NLMP 4.2.2 NTLM v1 Authentication', () => {
  const s = v.ntlmv1;
  const flags = flagsOf(s.challengeFlags);
  const nt = ntowfv1(c.password);
  const lm = lmowfv1(c.password);
  const r = ntlmv1Response(nt, lm, sc);

  it('challenge flags decode to the names 4.2.2 lists', () => {
    assert.ok(
      flags & F.NTLMSSP_NEGOTIATE_KEY_EXCH &&
        flags & F.NTLMSSP_NEGOTIATE_56 &&
        flags & F.NTLMSSP_NEGOTIATE_128,
    );
    assert.equal(flags & F.NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY, 0);
  });
  it(s.lmowfv1.section, () => assert.equal(toHex(lm), s.lmowfv1.hex));
  it(s.ntowfv1.section, () => assert.equal(toHex(nt), s.ntowfv1.hex));
  it(s.sessionBaseKey.section, () => assert.equal(toHex(r.sessionBaseKey), s.sessionBaseKey.hex));
  it(s.keyExchangeKeyLmKey.section, () => {
    const kx = kxkey({
      flags: (flags | F.NTLMSSP_NEGOTIATE_LM_KEY) >>> 0,
      ntlmv2: false,
      sessionBaseKey: r.sessionBaseKey,
      lmChallengeResponse: r.lmChallengeResponse,
      serverChallenge: sc,
      lmowf: lm,
    });
    assert.equal(toHex(kx), s.keyExchangeKeyLmKey.hex);
    assert.equal(toHex(rc4(kx, randomKey)), s.encryptedSessionKeyLmKey.hex);
  });
  it(s.ntlmv1Response.section, () => assert.equal(toHex(r.ntChallengeResponse), s.ntlmv1Response.hex));
  it(s.lmv1Response.section, () => assert.equal(toHex(r.lmChallengeResponse), s.lmv1Response.hex));
  it(s.encryptedSessionKey.section, () => {
    const kx = kxkey({
      flags,
      ntlmv2: false,
      sessionBaseKey: r.sessionBaseKey,
      lmChallengeResponse: r.lmChallengeResponse,
      serverChallenge: sc,
      lmowf: lm,
    });
    assert.equal(toHex(rc4(kx, randomKey)), s.encryptedSessionKey.hex);
  });
  it(s.wrap.section, () => {
    assert.equal(
      crc32(plaintext).toString(16).padStart(8, '0'),
      [...fromHex(s.wrap.crc32)]
        .reverse()
        .map((b) => b.toString(16).padStart(2, '0'))
        .join(''),
    );
    const token = new SessionSecurity(flags, fromHex(s.wrap.exportedSessionKey), 'client').wrap(
      plaintext,
      true,
    );
    assert.equal(toHex(token.subarray(0, 16)), s.wrap.signature);
    assert.equal(toHex(token.subarray(16)), s.wrap.sealedData);
    const out = new SessionSecurity(flags, fromHex(s.wrap.exportedSessionKey), 'server').unwrap(token);
    assert.deepEqual(out, { message: plaintext, confidential: true });
  });
});

describe('MS-NLMP 4.2.3 NTLM v1 with Client Challenge', () => {
  const s = v.ntlmv1Ess;
  const flags = flagsOf(s.challengeFlags);
  const nt = ntowfv1(c.password);
  const r = ntlmv1EssResponse(nt, sc, cc);
  it(s.ntowfv1.section, () => assert.equal(toHex(nt), s.ntowfv1.hex));
  it(s.sessionBaseKey.section, () => assert.equal(toHex(r.sessionBaseKey), s.sessionBaseKey.hex));
  it(s.keyExchangeKey.section, () => {
    const kx = kxkey({
      flags,
      ntlmv2: false,
      sessionBaseKey: r.sessionBaseKey,
      lmChallengeResponse: r.lmChallengeResponse,
      serverChallenge: sc,
    });
    assert.equal(toHex(kx), s.keyExchangeKey.hex);
  });
  it(s.lmv1Response.section, () => assert.equal(toHex(r.lmChallengeResponse), s.lmv1Response.hex));
  it(s.ntlmv1Response.section, () => assert.equal(toHex(r.ntChallengeResponse), s.ntlmv1Response.hex));
  it(s.wrap.section, () => {
    assert.equal(flags & F.NTLMSSP_NEGOTIATE_KEY_EXCH, 0);
    const token = new SessionSecurity(flags, fromHex(s.wrap.exportedSessionKey), 'client').wrap(
      plaintext,
      true,
    );
    assert.equal(toHex(token.subarray(0, 16)), s.wrap.signature);
    assert.equal(toHex(token.subarray(16)), s.wrap.sealedData);
  });
});

describe('MS-NLMP 4.2.4 NTLMv2 Authentication', () => {
  const s = v.ntlmv2;
  const flags = flagsOf(s.challengeFlags);
  const key = ntowfv2(ntowfv1(c.password), c.user, c.domain);
  const avList = fromHex(s.avPairs.serverNameAvList);
  const r = ntlmv2Response({
    responseKeyNT: key,
    serverChallenge: sc,
    clientChallenge: cc,
    time: fromHex(c.time),
    avPairs: avList,
  });

  it(`${s.avPairs.section}: the AV pair list decodes and re-encodes`, () => {
    const pairs = decodeAvPairs(avList);
    assert.deepEqual(
      pairs.map((p) => [p.id, toHex(p.value)]),
      [
        [AvId.MsvAvNbDomainName, s.avPairs.nbDomainName],
        [AvId.MsvAvNbComputerName, s.avPairs.nbComputerName],
      ],
    );
    // ServerName in temp is the list with its MsvAvEOL; temp then appends Z(4).
    assert.equal(toHex(encodeAvPairs(pairs)), s.avPairs.serverNameAvList);
  });
  it(s.ntowfv2.section, () => {
    assert.equal(toHex(key), s.ntowfv2.hex);
    assert.equal(toHex(lmowfv2(ntowfv1(c.password), c.user, c.domain)), s.ntowfv2.hex);
  });
  it(s.sessionBaseKey.section, () => assert.equal(toHex(r.sessionBaseKey), s.sessionBaseKey.hex));
  it(s.temp.section, () => assert.equal(toHex(r.temp), s.temp.hex));
  it(s.lmv2Response.section, () => assert.equal(toHex(r.lmChallengeResponse), s.lmv2Response.hex));
  it(s.ntProofStr.section, () => {
    assert.equal(toHex(r.ntProofStr), s.ntProofStr.hex);
    assert.equal(toHex(r.ntChallengeResponse), s.ntProofStr.hex + s.temp.hex);
  });
  it(s.encryptedSessionKey.section, () => {
    const kx = kxkey({
      flags,
      ntlmv2: true,
      sessionBaseKey: r.sessionBaseKey,
      lmChallengeResponse: r.lmChallengeResponse,
      serverChallenge: sc,
    });
    assert.equal(toHex(rc4(kx, randomKey)), s.encryptedSessionKey.hex);
  });
  it(s.wrap.section, () => {
    const exported = fromHex(s.wrap.exportedSessionKey);
    assert.equal(toHex(sealkey(flags, exported, 'client')), s.wrap.sealKey);
    assert.equal(toHex(signkey(flags, exported, 'client')!), s.wrap.signKey);
    const token = new SessionSecurity(flags, exported, 'client').wrap(plaintext, true);
    assert.equal(toHex(token.subarray(4, 12)), s.wrap.encryptedChecksum);
    assert.equal(toHex(token.subarray(0, 16)), s.wrap.signature);
    assert.equal(toHex(token.subarray(16)), s.wrap.sealedData);
    const peer = new SessionSecurity(flags, exported, 'server');
    assert.deepEqual(peer.unwrap(token), { message: plaintext, confidential: true });
  });
});

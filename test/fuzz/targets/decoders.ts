/**
 * Fuzz targets over every decoder the network (or a credential file) reaches, seeded from
 * real tokens. Each `run` calls the decoder(s) as the code that receives the bytes does;
 * where one input suits several decoders of a family, every one is tried (each failure
 * must be a GssockError; the first foreign one is the finding).
 */
import { GssockError, gssError } from '../../../src/core/errors.ts';
import { formatNegotiateHeader, parseNegotiateHeader } from '../../../src/http/negotiate-header.ts';
import { parseCcache } from '../../../src/providers/kerberos/ccache.ts';
import { KdcTcpRecordReader } from '../../../src/providers/kerberos/kdc/tcp-record.ts';
import { parseKeytab } from '../../../src/providers/kerberos/keytab.ts';
import * as krb from '../../../src/providers/kerberos/messages/index.ts';
import { decodeAvPairs } from '../../../src/providers/ntlm/av-pairs.ts';
import { decodeAuthenticate } from '../../../src/providers/ntlm/messages/authenticate.ts';
import { decodeChallenge } from '../../../src/providers/ntlm/messages/challenge.ts';
import { decodeNegotiate } from '../../../src/providers/ntlm/messages/negotiate.ts';
import { decodeNegotiationToken } from '../../../src/providers/spnego/messages.ts';
import * as mockWire from '../../../src/providers/mock/wire.ts';
import { gssSample } from '../../../src/transport/framing/gss-sample.ts';
import { sasl } from '../../../src/transport/framing/sasl.ts';
import { u32be } from '../../../src/transport/framing/u32be.ts';
import { u32le } from '../../../src/transport/framing/u32le.ts';
import type { FrameCodec } from '../../../src/transport/channel.ts';
import {
  innerKrb5,
  MIT_CCACHE,
  MIT_KDC_REPLIES,
  MIT_KDC_REQUESTS,
  MIT_KEYTAB,
  MIT_SESSIONS,
  SPNEGO_TOKENS,
} from '../corpus.ts';
import type { FuzzTarget } from '../harness.ts';
import { ownTokens } from './own-tokens.ts';

/** Calls every decoder; rethrows the first non-GssockError (the harness judges it). */
function all(input: Uint8Array, decoders: ((b: Uint8Array) => unknown)[]): void {
  let foreign: unknown;
  for (const d of decoders) {
    try {
      d(input);
    } catch (e) {
      if (!(e instanceof GssockError)) foreign ??= e;
    }
  }
  if (foreign !== undefined) throw foreign;
}

/** Frames through a codec's decoder, the input cut into three chunks at points it names. */
function framingTarget(codec: FrameCodec): FuzzTarget {
  return {
    name: `framing-${codec.name}`,
    covers: ['src/transport/framing/'],
    seeds: [
      codec.encode({ flags: codec.hasFlags ? 0x02 : 0, body: MIT_SESSIONS[0]!.apReq }),
      codec.encode({ flags: 0, body: new Uint8Array([1, 2, 3]) }),
    ],
    run(input) {
      const decoder = codec.createDecoder({ maxFrameSize: 4096 });
      const a = input.length ? input[0]! % (input.length + 1) : 0;
      const b = Math.min(input.length, a + (input.length > 1 ? input[1]! : 0));
      let bodies = 0;
      for (const chunk of [input.subarray(0, a), input.subarray(a, b), input.subarray(b)]) {
        if (chunk.length) decoder.push(chunk);
        for (let f = decoder.next(); f; f = decoder.next()) {
          if (f.body.length > 4096) throw new RangeError('frame over maxFrameSize');
          bodies += f.body.length;
        }
      }
      if (bodies > input.length) throw new RangeError('more body bytes out than in');
      decoder.finish();
    },
  };
}

export async function decoderTargets(): Promise<FuzzTarget[]> {
  const own = await ownTokens();
  const apReqs = MIT_SESSIONS.map((s) => innerKrb5(s.apReq));
  const apReps = MIT_SESSIONS.map((s) => innerKrb5(s.apRep));
  return [
    ...[u32be(), u32le(), gssSample(), sasl()].map(framingTarget),
    {
      name: 'gss-initial-token',
      covers: ['src/providers/kerberos/messages/gss-token.ts', 'src/providers/kerberos/messages/asn1.ts'],
      seeds: [...MIT_SESSIONS.flatMap((s) => [s.apReq, s.apRep]), ...SPNEGO_TOKENS],
      run: (input) => all(input, [(b) => krb.decodeGssInitialToken(b), (b) => krb.decodeKrb5ContextToken(b)]),
    },
    {
      name: 'krb-ap',
      covers: ['src/providers/kerberos/messages/'],
      seeds: [...apReqs, ...apReps, ...own.krbInner],
      run: (input) =>
        all(input, [
          krb.decodeApReq,
          krb.decodeApRep,
          krb.decodeAuthenticator,
          krb.decodeEncApRepPart,
          krb.decodeTicket,
        ]),
    },
    {
      name: 'krb-error',
      covers: ['src/providers/kerberos/messages/krb-error.ts'],
      seeds: [...MIT_KDC_REPLIES, ...own.krbErrors],
      run: (input) => all(input, [krb.decodeKrbError, krb.decodeTypedData, krb.decodeMethodData]),
    },
    {
      name: 'krb-kdc-messages',
      covers: ['src/providers/kerberos/messages/'],
      seeds: [...MIT_KDC_REQUESTS, ...MIT_KDC_REPLIES],
      run: (input) =>
        all(input, [
          krb.decodeKdcReq,
          krb.decodeKdcRep,
          krb.decodeEncKdcRepPart,
          krb.decodeEncTicketPart,
          krb.decodeKrbCred,
          krb.decodeEncKrbCredPart,
          krb.decodeEtypeInfo2,
          krb.decodePaEncTsEnc,
          krb.decodePrincipalName,
          krb.decodeAuthorizationData,
        ]),
    },
    {
      name: 'pac',
      covers: ['src/providers/kerberos/messages/pac.ts'],
      seeds: own.pacs,
      run: (input) => all(input, [krb.parsePac, krb.parsePacSignature, krb.parsePacClientInfo]),
    },
    {
      name: 'kdc-tcp-record',
      covers: ['src/providers/kerberos/kdc/tcp-record.ts'],
      seeds: MIT_KDC_REPLIES.map((r) => concatRecord(r)),
      run(input) {
        const reader = new KdcTcpRecordReader(4096);
        for (let at = 0; at < input.length; at += 7) if (reader.push(input.subarray(at, at + 7))) return;
      },
    },
    {
      name: 'ntlm-messages',
      covers: ['src/providers/ntlm/'],
      seeds: own.ntlm,
      run: (input) =>
        all(input, [decodeNegotiate, decodeChallenge, decodeAuthenticate, (b) => decodeAvPairs(b)]),
    },
    {
      name: 'spnego-messages',
      covers: ['src/providers/spnego/messages.ts'],
      seeds: [...SPNEGO_TOKENS, ...own.spnego],
      run: (input) => decodeNegotiationToken(input),
    },
    {
      name: 'http-negotiate-header',
      covers: ['src/http/negotiate-header.ts'],
      seeds: own.spnego.map((t) => new TextEncoder().encode(formatNegotiateHeader(t))),
      run: (input) => parseNegotiateHeader(new TextDecoder().decode(input)),
    },
    {
      name: 'keytab-file',
      covers: ['src/providers/kerberos/keytab.ts'],
      seeds: [MIT_KEYTAB, ...MIT_SESSIONS.map((s) => s.keytab)],
      run: (input) => parseKeytab(input),
    },
    {
      name: 'ccache-file',
      covers: ['src/providers/kerberos/ccache.ts'],
      seeds: [MIT_CCACHE],
      run: (input) => parseCcache(input),
    },
    {
      name: 'mock-wire',
      covers: ['src/providers/mock/wire.ts'],
      seeds: own.mock,
      run: (input) => all(input, [mockWire.decodeInit, mockWire.decodeChallenge, mockWire.decodeProof]),
    },
  ];
}

function concatRecord(body: Uint8Array): Uint8Array {
  if (body.length > 0xffffffff) throw gssError('INVALID_ARGUMENT', 'too long');
  const out = new Uint8Array(4 + body.length);
  new DataView(out.buffer).setUint32(0, body.length);
  out.set(body, 4);
  return out;
}

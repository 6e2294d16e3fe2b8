// The PAC in the KDC's tickets (MS-PAC): signatures verify with the service key and the
// krbtgt key (MS-PAC §2.8), tampering breaks them, and the buffers read back with the
// PAC container parser of src/providers/kerberos/messages/pac.ts and a test-only NDR
// reader written from the MS-PAC §2.5 field list (not from the encoder).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type RunningKdc, startKdc, verifyPacSignatures } from '../../src/kdc/index.ts';
import { KeyUsage, PacBufferType } from '../../src/providers/kerberos/constants.ts';
import { getEnctype } from '../../src/providers/kerberos/crypto/registry.ts';
import { getInitialTicket } from '../../src/providers/kerberos/kdc/as-exchange.ts';
import { getServiceTicket } from '../../src/providers/kerberos/kdc/tgs-exchange.ts';
import {
  decodeEncTicketPart,
  decodeTicket,
  findPacInAuthorizationData,
  parsePac,
  parsePacClientInfo,
  parsePacSignature,
} from '../../src/providers/kerberos/messages/index.ts';
import type { EncryptionKey } from '../../src/providers/kerberos/types.ts';

/** Minimal NDR reader for KERB_VALIDATION_INFO, following MS-PAC §2.5 / MS-RPCE §2.2.6. */
function readLogonInfo(b: Uint8Array) {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  assert.deepEqual([...b.subarray(0, 8)], [1, 0x10, 8, 0, 0xcc, 0xcc, 0xcc, 0xcc], 'MS-RPCE common header');
  assert.equal(v.getUint32(8, true), b.length - 16, 'object buffer length');
  assert.equal(v.getUint32(8, true) % 8, 0);
  let at = 16;
  const u32 = () => {
    at = (at + 3) & ~3;
    const x = v.getUint32(at, true);
    at += 4;
    return x;
  };
  const u16 = () => {
    at = (at + 1) & ~1;
    const x = v.getUint16(at, true);
    at += 2;
    return x;
  };
  const str = () => ({ len: u16(), max: u16(), ptr: u32() });
  const readStr = (s: { len: number; ptr: number }) => {
    if (s.ptr === 0) return '';
    const max = u32();
    assert.equal(u32(), 0, 'offset');
    const count = u32();
    assert.equal(count * 2, s.len);
    assert.ok(max >= count);
    let out = '';
    for (let i = 0; i < count; i++) out += String.fromCharCode(u16());
    return out;
  };
  const readSid = () => {
    const count = u32();
    const rev = b[at]!;
    const n = b[at + 1]!;
    assert.equal(n, count);
    let auth = 0;
    for (let i = 0; i < 6; i++) auth = auth * 256 + b[at + 2 + i]!;
    at += 8;
    const subs: number[] = [];
    for (let i = 0; i < n; i++) subs.push(u32());
    return `S-${rev}-${auth}-${subs.join('-')}`;
  };
  assert.notEqual(u32(), 0, 'top-level pointer');
  at += 6 * 8; // six FILETIMEs
  const names = [str(), str(), str(), str(), str(), str()];
  u16(); // LogonCount
  u16(); // BadPasswordCount
  const userId = u32();
  const primaryGroupId = u32();
  const groupCount = u32();
  const groupsPtr = u32();
  u32(); // UserFlags
  at += 16; // UserSessionKey
  const logonServer = str();
  const logonDomain = str();
  const domainIdPtr = u32();
  at += 8; // Reserved1
  u32(); // UserAccountControl
  u32(); // SubAuthStatus
  at += 16; // LastSuccessfulILogon, LastFailedILogon
  u32(); // FailedILogonCount
  u32(); // Reserved3
  const sidCount = u32();
  const extraPtr = u32();
  assert.equal(u32(), 0, 'ResourceGroupDomainSid');
  assert.equal(u32(), 0, 'ResourceGroupCount');
  assert.equal(u32(), 0, 'ResourceGroupIds');
  const effectiveName = readStr(names[0]!);
  const fullName = readStr(names[1]!);
  for (let i = 2; i < 6; i++) readStr(names[i]!);
  const groups: number[] = [];
  if (groupsPtr) {
    assert.equal(u32(), groupCount);
    for (let i = 0; i < groupCount; i++) {
      groups.push(u32());
      assert.equal(u32(), 7, 'group attributes');
    }
  }
  const server = readStr(logonServer);
  const domain = readStr(logonDomain);
  const domainSid = domainIdPtr ? readSid() : '';
  const extraSids: string[] = [];
  if (extraPtr) {
    assert.equal(u32(), sidCount);
    const ptrs = [];
    for (let i = 0; i < sidCount; i++) {
      ptrs.push(u32());
      u32();
    }
    for (const _ of ptrs) extraSids.push(readSid());
  }
  assert.ok(b.length - at < 8, 'only alignment padding after the last referent');
  return { effectiveName, fullName, userId, primaryGroupId, groups, server, domain, domainSid, extraSids };
}

describe('PAC issued by the gssock KDC', () => {
  let kdc: RunningKdc;
  before(async () => {
    kdc = await startKdc({
      realm: 'PAC.TEST',
      allowRc4: true,
      domainSid: 'S-1-5-21-1-2-3',
      principals: {
        alice: {
          password: 'pw',
          rid: 1234,
          groups: [513, 1500],
          fullName: 'Alice Example',
          extraSids: ['S-1-18-1'],
        },
        'host/localhost': {},
      },
    });
  });
  after(() => kdc.stop());

  /** alice's TGT and her service ticket for host/localhost, optionally in one enctype. */
  const aliceTickets = async (enctypes?: number[]) => {
    const only = enctypes ? { enctypes } : {};
    const tgt = await getInitialTicket({
      ...kdc.clientOptions(),
      ...only,
      client: kdc.principal('alice'),
      secret: { password: 'pw' },
    });
    const st = await getServiceTicket({
      ...kdc.clientOptions(),
      ...only,
      tgt,
      server: kdc.principal('host/localhost'),
    });
    return { tgt, st };
  };

  const open = (ticketDer: Uint8Array, keys: EncryptionKey[]) => {
    const t = decodeTicket(ticketDer);
    const key = keys.find((k) => k.etype === t.encPart.etype)!;
    const enc = decodeEncTicketPart(
      getEnctype(key.etype, { allowRc4: true }).decrypt(key, KeyUsage.KDC_REP_TICKET, t.encPart.cipher),
    );
    const pac = findPacInAuthorizationData(enc.authorizationData);
    assert.ok(pac, 'the ticket carries a PAC');
    return { enc, pac, key };
  };

  for (const etype of [17, 18, 19, 20, 23]) {
    it(`service ticket PAC (${etype}): server signature with the service key, KDC signature with krbtgt`, async () => {
      const { tgt, st } = await aliceTickets([etype]);
      const service = open(st.ticket, kdc.keys('host/localhost'));
      const krbtgt = kdc.keys(`krbtgt/${kdc.realm}`)[0]!;
      assert.deepEqual(verifyPacSignatures(service.pac, { serverKey: service.key, kdcKey: krbtgt }), {
        server: true,
        kdc: true,
      });
      // The TGT's PAC: both signatures with the krbtgt key.
      const tgtPac = open(tgt.ticket, kdc.keys(`krbtgt/${kdc.realm}`));
      assert.deepEqual(verifyPacSignatures(tgtPac.pac, { serverKey: tgtPac.key, kdcKey: krbtgt }), {
        server: true,
        kdc: true,
      });
      // Signature type is the key's checksum type (MS-PAC §2.8.1).
      const sig = parsePacSignature(
        parsePac(service.pac).buffers.find((b) => b.type === PacBufferType.SERVER_CHECKSUM)!.data,
      );
      assert.equal(sig.signatureType, getEnctype(service.key.etype, { allowRc4: true }).checksumType);
    });
  }

  it('tampering with any PAC byte outside the signatures breaks the server signature', async () => {
    const { st } = await aliceTickets();
    const { pac, key } = open(st.ticket, kdc.keys('host/localhost'));
    const logon = parsePac(pac).buffers.find((b) => b.type === PacBufferType.LOGON_INFO)!;
    const bad = pac.slice();
    bad[logon.offset + 40]! ^= 1;
    assert.equal(verifyPacSignatures(bad, { serverKey: key }).server, false);
    const wrongKey = { etype: key.etype, value: key.value.map((x) => x ^ 0xff) };
    assert.equal(verifyPacSignatures(pac, { serverKey: wrongKey }).server, false);
  });

  it('client info, logon info and UPN_DNS_INFO carry the user, its SIDs and groups', async () => {
    const { st } = await aliceTickets();
    const { pac, enc } = open(st.ticket, kdc.keys('host/localhost'));
    const parsed = parsePac(pac);
    assert.deepEqual(
      parsed.buffers.map((b) => b.type),
      [
        PacBufferType.LOGON_INFO,
        PacBufferType.CLIENT_INFO,
        PacBufferType.UPN_DNS_INFO,
        PacBufferType.SERVER_CHECKSUM,
        PacBufferType.PRIVSVR_CHECKSUM,
      ],
    );
    const client = parsePacClientInfo(parsed.buffers[1]!.data);
    assert.equal(client.name, 'alice');
    assert.equal(client.clientId, enc.authtime, 'ClientId is the ticket authtime (MIT checks this)');
    const info = readLogonInfo(parsed.buffers[0]!.data);
    assert.deepEqual(info, {
      effectiveName: 'alice',
      fullName: 'Alice Example',
      userId: 1234,
      primaryGroupId: 513,
      groups: [513, 1500],
      server: 'GSSOCK-KDC',
      domain: 'PAC',
      domainSid: 'S-1-5-21-1-2-3',
      extraSids: ['S-1-18-1'],
    });
    const upn = parsed.buffers[2]!.data;
    const uv = new DataView(upn.buffer, upn.byteOffset, upn.byteLength);
    const text = (lenAt: number) => {
      const len = uv.getUint16(lenAt, true);
      const off = uv.getUint16(lenAt + 2, true);
      return String.fromCharCode(
        ...Array.from({ length: len / 2 }, (_, i) => uv.getUint16(off + 2 * i, true)),
      );
    };
    assert.equal(text(0), 'alice@pac.test');
    assert.equal(text(4), 'PAC.TEST');
    assert.equal(uv.getUint32(8, true) & 2, 2, 'S flag: SamName and Sid follow');
    assert.equal(text(12), 'alice');
  });

  it('no PAC when the AS-REQ asks for none (PA-PAC-REQUEST false)', async () => {
    const tgt = await getInitialTicket({
      ...kdc.clientOptions(),
      client: kdc.principal('alice'),
      secret: { password: 'pw' },
      options: { includePac: false },
    });
    const t = decodeTicket(tgt.ticket);
    const key = kdc.keys(`krbtgt/${kdc.realm}`).find((k) => k.etype === t.encPart.etype)!;
    const enc = decodeEncTicketPart(
      getEnctype(key.etype).decrypt(key, KeyUsage.KDC_REP_TICKET, t.encPart.cipher),
    );
    assert.equal(findPacInAuthorizationData(enc.authorizationData), undefined);
  });
});

/** Sample message objects for round-trip and fuzz tests (values chosen to hit every field). */
import {
  ApOptions,
  KdcOptions,
  MessageType,
  NameType,
  TicketFlags,
} from '../../../src/providers/kerberos/constants.ts';
import type * as m from '../../../src/providers/kerberos/messages/index.ts';

const t0 = Date.UTC(2025, 4, 6, 7, 8, 9);
const bytes = (n: number, fill = 0xab) => new Uint8Array(n).fill(fill);

export const principal = { nameType: NameType.NT_PRINCIPAL, nameString: ['alice'] };
export const service = { nameType: NameType.NT_SRV_HST, nameString: ['host', 'server.example.test'] };

export const ticket: m.Ticket = {
  realm: 'EXAMPLE.TEST',
  sname: service,
  encPart: { etype: 18, kvno: 3, cipher: bytes(60) },
};

export const encTicketPart: m.EncTicketPart = {
  flags: TicketFlags.FORWARDABLE | TicketFlags.RENEWABLE | TicketFlags.PRE_AUTHENT,
  key: { etype: 18, value: bytes(32, 1) },
  crealm: 'EXAMPLE.TEST',
  cname: principal,
  transited: { trType: 1, contents: new Uint8Array(0) },
  authtime: t0,
  starttime: t0,
  endtime: t0 + 36_000_000,
  renewTill: t0 + 7 * 86_400_000,
  caddr: [{ addrType: 2, address: new Uint8Array([127, 0, 0, 1]) }],
  authorizationData: [{ adType: 1, adData: bytes(8, 2) }],
};

export const authenticator: m.Authenticator = {
  crealm: 'EXAMPLE.TEST',
  cname: { nameType: NameType.NT_PRINCIPAL, nameString: ['Ünïcødé', 'ß'] },
  cksum: { cksumtype: 0x8003, checksum: bytes(24, 0) },
  cusec: 999999,
  ctime: t0,
  subkey: { etype: 17, value: bytes(16, 3) },
  seqNumber: 0xfffffffe,
  authorizationData: [{ adType: 128, adData: bytes(4, 4) }],
};

export const apReq: m.ApReq = {
  apOptions: ApOptions.MUTUAL_REQUIRED,
  ticket,
  authenticator: { etype: 18, cipher: bytes(100, 5) },
};

export const apRep: m.ApRep = { encPart: { etype: 18, cipher: bytes(40, 6) } };
export const encApRepPart: m.EncApRepPart = {
  ctime: t0,
  cusec: 12,
  subkey: { etype: 18, value: bytes(32, 7) },
  seqNumber: 0,
};

export const kdcReqBody: m.KdcReqBody = {
  kdcOptions: KdcOptions.FORWARDABLE | KdcOptions.RENEWABLE_OK | KdcOptions.CANONICALIZE,
  cname: principal,
  realm: 'EXAMPLE.TEST',
  sname: { nameType: NameType.NT_SRV_INST, nameString: ['krbtgt', 'EXAMPLE.TEST'] },
  from: t0,
  till: Date.UTC(2037, 8, 13, 2, 48, 5),
  rtime: t0 + 86_400_000,
  nonce: 0x7fffffff,
  etype: [18, 17, 20, 19, 23],
  addresses: [{ addrType: 24, address: bytes(16, 0) }],
  encAuthorizationData: { etype: 18, cipher: bytes(30, 8) },
  additionalTickets: [ticket],
};

export const asReq: m.KdcReq = {
  msgType: MessageType.AS_REQ,
  padata: [
    { padataType: 128, padataValue: new Uint8Array([0x30, 0x05, 0xa0, 0x03, 0x01, 0x01, 0xff]) },
    { padataType: 149, padataValue: new Uint8Array(0) },
  ],
  reqBody: { kdcOptions: 0, realm: 'EXAMPLE.TEST', till: t0, nonce: 1, etype: [18] },
};

export const tgsReq: m.KdcReq = {
  msgType: MessageType.TGS_REQ,
  padata: [{ padataType: 1, padataValue: bytes(10) }],
  reqBody: kdcReqBody,
};

export const kdcRep: m.KdcRep = {
  msgType: MessageType.AS_REP,
  padata: [{ padataType: 19, padataValue: bytes(3) }],
  crealm: 'EXAMPLE.TEST',
  cname: principal,
  ticket,
  encPart: { etype: 18, kvno: 1, cipher: bytes(200, 9) },
};

export const encKdcRepPart: m.EncKdcRepPart = {
  key: { etype: 18, value: bytes(32, 10) },
  lastReq: [{ lrType: 0, lrValue: t0 }],
  nonce: 0xffffffff,
  keyExpiration: t0 + 1000,
  flags: TicketFlags.INITIAL | TicketFlags.ENC_PA_REP,
  authtime: t0,
  starttime: t0,
  endtime: t0 + 1000 * 3600,
  renewTill: t0 + 1000 * 7200,
  srealm: 'EXAMPLE.TEST',
  sname: service,
  caddr: [],
  encryptedPaData: [{ padataType: 149, padataValue: bytes(12) }],
};

export const krbError: m.KrbError = {
  ctime: t0,
  cusec: 1,
  stime: t0,
  susec: 2,
  errorCode: 25,
  crealm: 'EXAMPLE.TEST',
  cname: principal,
  realm: 'EXAMPLE.TEST',
  sname: service,
  eText: 'Additional pre-authentication required',
  eData: bytes(5),
};

export const krbCred: m.KrbCred = { tickets: [ticket, ticket], encPart: { etype: 0, cipher: bytes(50) } };

export const encKrbCredPart: m.EncKrbCredPart = {
  ticketInfo: [
    {
      key: { etype: 18, value: bytes(32) },
      prealm: 'EXAMPLE.TEST',
      pname: principal,
      flags: TicketFlags.FORWARDED,
      authtime: t0,
      starttime: t0,
      endtime: t0 + 1000,
      renewTill: t0 + 2000,
      srealm: 'EXAMPLE.TEST',
      sname: { nameType: 2, nameString: ['krbtgt', 'EXAMPLE.TEST'] },
      caddr: [{ addrType: 2, address: new Uint8Array(4) }],
    },
    { key: { etype: 17, value: bytes(16) } },
  ],
  nonce: 42,
  timestamp: t0,
  usec: 5,
  sAddress: { addrType: 2, address: new Uint8Array([10, 0, 0, 1]) },
  rAddress: { addrType: 2, address: new Uint8Array([10, 0, 0, 2]) },
};

/**
 * KRB-ERROR replies of the KDC (RFC 4120 §5.9.1, §7.5.9).
 *
 * The exchanges throw `KdcErrorReply` with the RFC error code; `handleKdcRequest` turns
 * it into the DER reply. stime/susec are the KDC's time (clients use them to measure
 * skew); realm/sname name the service the request asked for (krbtgt when unknown).
 * PREAUTH_REQUIRED and PREAUTH_FAILED carry METHOD-DATA with PA-ETYPE-INFO2 and an empty
 * PA-ENC-TIMESTAMP in e-data, as MIT's KDC sends them (RFC 4120 §5.2.7.5, §7.5.9).
 */
import { NameType, PaDataType } from '../providers/kerberos/constants.ts';
import { kerberosErrorName } from '../providers/kerberos/error-codes.ts';
import {
  encodeEtypeInfo2,
  encodeKrbError,
  encodeMethodData,
  type EtypeInfo2Entry,
  type KrbError,
} from '../providers/kerberos/messages/index.ts';
import type { PaData, PrincipalName } from '../providers/kerberos/types.ts';

/** A request the KDC answers with a KRB-ERROR. */
export class KdcErrorReply {
  readonly code: number;
  readonly text: string;
  readonly eData: Uint8Array | undefined;

  constructor(code: number, text: string, eData?: Uint8Array) {
    this.code = code;
    this.text = text;
    this.eData = eData;
  }

  get name(): string {
    return kerberosErrorName(this.code);
  }
}

/** Shorthand: `throw kdcError(KerberosErrorCode.KDC_ERR_C_PRINCIPAL_UNKNOWN, 'no such client')`. */
export function kdcError(code: number, text: string, eData?: Uint8Array): KdcErrorReply {
  return new KdcErrorReply(code, text, eData);
}

/** What the error reply names; everything but `realm` is optional. */
export interface ErrorContext {
  realm: string;
  sname?: PrincipalName;
  crealm?: string;
  cname?: PrincipalName;
  ctime?: number;
  cusec?: number;
}

export function encodeKdcError(error: KdcErrorReply, context: ErrorContext, now: number): Uint8Array {
  const e: KrbError = {
    stime: Math.floor(now / 1000) * 1000,
    susec: (Math.floor(now) % 1000) * 1000,
    errorCode: error.code,
    realm: context.realm,
    sname: context.sname ?? { nameType: NameType.NT_SRV_INST, nameString: ['krbtgt', context.realm] },
    eText: error.text,
  };
  if (context.crealm !== undefined && context.cname !== undefined) {
    e.crealm = context.crealm;
    e.cname = context.cname;
  }
  if (context.ctime !== undefined) {
    e.ctime = context.ctime;
    e.cusec = context.cusec ?? 0;
  }
  if (error.eData) e.eData = error.eData;
  return encodeKrbError(e);
}

/** e-data for KDC_ERR_PREAUTH_REQUIRED / _FAILED: which etype and salt, and that PA-ENC-TIMESTAMP works. */
export function preauthMethodData(info: EtypeInfo2Entry[]): Uint8Array {
  const methods: PaData[] = [
    { padataType: PaDataType.PA_ETYPE_INFO2, padataValue: encodeEtypeInfo2(info) },
    { padataType: PaDataType.PA_ENC_TIMESTAMP, padataValue: new Uint8Array(0) },
  ];
  return encodeMethodData(methods);
}

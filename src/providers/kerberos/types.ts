/**
 * Plain types shared by the Kerberos crypto, messages, credentials and mechanism.
 * Times are milliseconds since the Unix epoch (like Date.now()); Kerberos itself carries
 * seconds (KerberosTime, RFC 4120 §5.2.3) plus microseconds where a field has them.
 */

/** A key of one encryption type (RFC 4120 §5.2.9 EncryptionKey: keytype + keyvalue). */
export interface EncryptionKey {
  etype: number;
  value: Uint8Array;
}

/** RFC 4120 §5.2.2 PrincipalName. */
export interface PrincipalName {
  nameType: number;
  nameString: string[];
}

/** A principal with its realm. */
export interface Principal {
  realm: string;
  name: PrincipalName;
}

/** RFC 4120 §5.2.9 EncryptedData. */
export interface EncryptedData {
  etype: number;
  kvno?: number;
  /** Decoded: a view into the message it was read from (copy it to keep it). */
  cipher: Uint8Array;
}

/** RFC 4120 §5.2.6 AuthorizationData element. */
export interface AuthorizationDataEntry {
  adType: number;
  adData: Uint8Array;
}

/** RFC 4120 §5.2.7 PA-DATA. */
export interface PaData {
  padataType: number;
  padataValue: Uint8Array;
}

/** RFC 4120 §5.2.5 HostAddress. */
export interface HostAddress {
  addrType: number;
  address: Uint8Array;
}

/**
 * Kerberos protocol numbers in one place: RFC 4120 §7.5 (and the RFCs / MS docs that
 * extend those registries). Enctype and checksum-type numbers live in the crypto
 * registry (crypto/registry.ts), not here.
 *
 * KerberosFlags (TicketFlags, KDCOptions, APOptions) are carried as unsigned 32-bit numbers
 * whose most significant bit is RFC bit 0, i.e. the 4 BIT STRING octets read big-endian.
 * That is also how MIT stores ticket flags in a ccache (TKT_FLG_FORWARDABLE = 0x40000000).
 */

/** The value of an RFC 4120 flag bit `n` (0 = most significant) inside a uint32. */
export const flagBit = (n: number): number => (0x80000000 >>> n) >>> 0;

/** Protocol version (pvno, tkt-vno, authenticator-vno). RFC 4120 §5.1. */
export const KRB5_PVNO = 5;

/** msg-type values, RFC 4120 §7.5.7. */
export const MessageType = {
  AS_REQ: 10,
  AS_REP: 11,
  TGS_REQ: 12,
  TGS_REP: 13,
  AP_REQ: 14,
  AP_REP: 15,
  KRB_SAFE: 20,
  KRB_PRIV: 21,
  KRB_CRED: 22,
  KRB_ERROR: 30,
} as const;

/** [APPLICATION n] tags of the encrypted parts and the Ticket / Authenticator, RFC 4120 §5. */
export const ApplicationTag = {
  TICKET: 1,
  AUTHENTICATOR: 2,
  ENC_TICKET_PART: 3,
  AS_REQ: 10,
  AS_REP: 11,
  TGS_REQ: 12,
  TGS_REP: 13,
  AP_REQ: 14,
  AP_REP: 15,
  KRB_CRED: 22,
  ENC_AS_REP_PART: 25,
  ENC_TGS_REP_PART: 26,
  ENC_AP_REP_PART: 27,
  ENC_KRB_CRED_PART: 29,
  KRB_ERROR: 30,
} as const;

/** Principal name types, RFC 4120 §6.2 (+ RFC 6111 well-known, MS-KILE §2.2.x). */
export const NameType = {
  NT_UNKNOWN: 0,
  NT_PRINCIPAL: 1,
  NT_SRV_INST: 2,
  NT_SRV_HST: 3,
  NT_SRV_XHST: 4,
  NT_UID: 5,
  NT_X500_PRINCIPAL: 6,
  NT_SMTP_NAME: 7,
  NT_ENTERPRISE: 10,
  NT_WELLKNOWN: 11,
  NT_SRV_HST_DOMAIN: 12,
  NT_MS_PRINCIPAL: -128,
  NT_MS_PRINCIPAL_AND_ID: -129,
  NT_ENT_PRINCIPAL_AND_ID: -130,
} as const;

/** padata-type values, RFC 4120 §7.5.2, RFC 6113, RFC 6806, MS-KILE §2.2.1 / MS-SFU. */
export const PaDataType = {
  PA_TGS_REQ: 1,
  PA_ENC_TIMESTAMP: 2,
  PA_PW_SALT: 3,
  PA_ENC_UNIX_TIME: 5,
  PA_AFS3_SALT: 10,
  PA_ETYPE_INFO: 11,
  PA_SAM_CHALLENGE: 12,
  PA_SAM_RESPONSE: 13,
  PA_PK_AS_REQ_OLD: 14,
  PA_PK_AS_REP_OLD: 15,
  PA_PK_AS_REQ: 16,
  PA_PK_AS_REP: 17,
  PA_ETYPE_INFO2: 19,
  PA_USE_SPECIFIED_KVNO: 20,
  PA_SAM_REDIRECT: 21,
  PA_GET_FROM_TYPED_DATA: 22,
  PA_SAM_ETYPE_INFO: 23,
  PA_ALT_PRINC: 24,
  PA_SERVER_REFERRAL: 25,
  PA_SAM_CHALLENGE_2: 30,
  PA_SAM_RESPONSE_2: 31,
  PA_EXTRA_TGT: 41,
  PA_PAC_REQUEST: 128,
  PA_FOR_USER: 129,
  PA_FOR_X509_USER: 130,
  PA_FX_COOKIE: 133,
  PA_AUTHENTICATION_SET: 134,
  PA_AUTH_SET_SELECTED: 135,
  PA_FX_FAST: 136,
  PA_FX_ERROR: 137,
  PA_ENCRYPTED_CHALLENGE: 138,
  PA_OTP_CHALLENGE: 141,
  PA_OTP_REQUEST: 142,
  PA_REQ_ENC_PA_REP: 149,
  PA_AS_FRESHNESS: 150,
  PA_SPAKE: 151,
  PA_SUPPORTED_ENCTYPES: 165,
  PA_PAC_OPTIONS: 167,
} as const;

/** TYPED-DATA data-type values, RFC 4120 §7.5.9 / RFC 4556. */
export const TypedDataType = {
  TD_PKINIT_CMS_CERTIFICATES: 101,
  TD_KRB_PRINCIPAL: 102,
  TD_KRB_REALM: 103,
  TD_TRUSTED_CERTIFIERS: 104,
  TD_CERTIFICATE_INDEX: 105,
  TD_APP_DEFINED_ERROR: 106,
  TD_REQ_NONCE: 107,
  TD_REQ_SEQ: 108,
  TD_DH_PARAMETERS: 109,
  TD_CMS_DIGEST_ALGORITHMS: 111,
  TD_CERT_DIGEST_ALGORITHMS: 112,
  /** MS-KILE §2.2.2 KERB-ERROR-DATA / PA-PW-SALT style extended error. */
  KERB_AP_ERR_TYPE_SKEW_RECOVERY: 2,
  KERB_ERR_TYPE_EXTENDED: 3,
} as const;

/** Ticket flag values (uint32, RFC bit n = flagBit(n)), RFC 4120 §5.3, RFC 6112, RFC 6806. */
export const TicketFlags = {
  FORWARDABLE: flagBit(1),
  FORWARDED: flagBit(2),
  PROXIABLE: flagBit(3),
  PROXY: flagBit(4),
  MAY_POSTDATE: flagBit(5),
  POSTDATED: flagBit(6),
  INVALID: flagBit(7),
  RENEWABLE: flagBit(8),
  INITIAL: flagBit(9),
  PRE_AUTHENT: flagBit(10),
  HW_AUTHENT: flagBit(11),
  TRANSITED_POLICY_CHECKED: flagBit(12),
  OK_AS_DELEGATE: flagBit(13),
  ANONYMOUS: flagBit(14),
  ENC_PA_REP: flagBit(15),
} as const;

/** KDC options (uint32), RFC 4120 §5.4.1, RFC 6806 canonicalize, MS-SFU cname-in-addl-tkt. */
export const KdcOptions = {
  FORWARDABLE: flagBit(1),
  FORWARDED: flagBit(2),
  PROXIABLE: flagBit(3),
  PROXY: flagBit(4),
  ALLOW_POSTDATE: flagBit(5),
  POSTDATED: flagBit(6),
  RENEWABLE: flagBit(8),
  OPT_HARDWARE_AUTH: flagBit(11),
  CNAME_IN_ADDL_TKT: flagBit(14),
  CANONICALIZE: flagBit(15),
  REQUEST_ANONYMOUS: flagBit(16),
  DISABLE_TRANSITED_CHECK: flagBit(26),
  RENEWABLE_OK: flagBit(27),
  ENC_TKT_IN_SKEY: flagBit(28),
  RENEW: flagBit(30),
  VALIDATE: flagBit(31),
} as const;

/** AP options (uint32), RFC 4120 §5.5.1. */
export const ApOptions = {
  USE_SESSION_KEY: flagBit(1),
  MUTUAL_REQUIRED: flagBit(2),
} as const;

/** Key usage numbers, RFC 4120 §7.5.1, RFC 4121 §2, RFC 6113 §5.4, MS-PAC §2.8. */
export const KeyUsage = {
  AS_REQ_PA_ENC_TIMESTAMP: 1,
  KDC_REP_TICKET: 2,
  AS_REP_ENC_PART: 3,
  TGS_REQ_AUTH_DATA_SESSION_KEY: 4,
  TGS_REQ_AUTH_DATA_SUBKEY: 5,
  TGS_REQ_PA_AUTHENTICATOR_CKSUM: 6,
  TGS_REQ_PA_AUTHENTICATOR: 7,
  TGS_REP_ENC_PART_SESSION_KEY: 8,
  TGS_REP_ENC_PART_SUBKEY: 9,
  AP_REQ_AUTHENTICATOR_CKSUM: 10,
  AP_REQ_AUTHENTICATOR: 11,
  AP_REP_ENC_PART: 12,
  KRB_PRIV_ENC_PART: 13,
  KRB_CRED_ENC_PART: 14,
  KRB_SAFE_CKSUM: 15,
  /** MS-PAC §2.8.1: PAC server/KDC signatures with keyed checksums use usage 17. */
  KERB_NON_KERB_CKSUM_SALT: 17,
  AD_KDC_ISSUED_CKSUM: 19,
  GSS_ACCEPTOR_SEAL: 22,
  GSS_ACCEPTOR_SIGN: 23,
  GSS_INITIATOR_SEAL: 24,
  GSS_INITIATOR_SIGN: 25,
  FAST_REQ_CHKSUM: 50,
  FAST_ENC: 51,
  FAST_REP: 52,
  FAST_FINISHED: 53,
  ENC_CHALLENGE_CLIENT: 54,
  ENC_CHALLENGE_KDC: 55,
  AS_REQ: 56,
} as const;

/** HostAddress addr-type values, RFC 4120 §7.5.3. */
export const AddressType = {
  IPV4: 2,
  DIRECTIONAL: 3,
  CHAOSNET: 5,
  XNS: 6,
  ISO: 7,
  DECNET: 12,
  APPLETALK_DDP: 16,
  NETBIOS: 20,
  IPV6: 24,
} as const;

/** ad-type values, RFC 4120 §7.5.4, RFC 6113, MS-KILE / MS-PAC. */
export const AuthDataType = {
  AD_IF_RELEVANT: 1,
  AD_INTENDED_FOR_SERVER: 2,
  AD_INTENDED_FOR_APPLICATION_CLASS: 3,
  AD_KDC_ISSUED: 4,
  AD_AND_OR: 5,
  AD_MANDATORY_TICKET_EXTENSIONS: 6,
  AD_IN_TICKET_EXTENSIONS: 7,
  AD_MANDATORY_FOR_KDC: 8,
  OSF_DCE: 64,
  SESAME: 65,
  AD_OSF_DCE_PKI_CERTID: 66,
  AD_AUTHENTICATION_STRENGTH: 70,
  AD_FX_FAST_ARMOR: 71,
  AD_FX_FAST_USED: 72,
  AD_WIN2K_PAC: 128,
  AD_ETYPE_NEGOTIATION: 129,
  KERB_AUTH_DATA_TOKEN_RESTRICTIONS: 141,
  KERB_LOCAL: 142,
  AD_AUTH_DATA_AP_OPTIONS: 143,
  AD_TARGET_PRINCIPAL: 144,
} as const;

/** LastReq lr-type values, RFC 4120 §5.4.2 (negative = for this principal only). */
export const LastReqType = {
  NONE: 0,
  LAST_INITIAL_TGT: 1,
  LAST_INITIAL: 2,
  LAST_TGT_ISSUED: 3,
  LAST_RENEWAL: 4,
  LAST_REQUEST: 5,
  PW_EXPTIME: 6,
  ACCT_EXPTIME: 7,
} as const;

/** TransitedEncoding tr-type, RFC 4120 §7.5.5. */
export const TransitedType = { DOMAIN_X500_COMPRESS: 1 } as const;

/** PAC_INFO_BUFFER ulType values, MS-PAC §2.4. */
export const PacBufferType = {
  LOGON_INFO: 1,
  CREDENTIALS_INFO: 2,
  SERVER_CHECKSUM: 6,
  PRIVSVR_CHECKSUM: 7,
  CLIENT_INFO: 10,
  CONSTRAINED_DELEGATION: 11,
  UPN_DNS_INFO: 12,
  CLIENT_CLAIMS: 13,
  DEVICE_INFO: 14,
  DEVICE_CLAIMS: 15,
  TICKET_CHECKSUM: 16,
  ATTRIBUTES_INFO: 17,
  REQUESTOR: 18,
  FULL_PAC_CHECKSUM: 19,
} as const;

/** Realm of ccache configuration entries (MIT ccache_file_format "configuration entries"). */
export const CCACHE_CONF_REALM = 'X-CACHECONF:';
export const CCACHE_CONF_PREFIX = 'krb5_ccache_conf_data';

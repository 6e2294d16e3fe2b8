/**
 * The CLI's mechanism registry: `--mech NAME` (gssock) or `-mech OID` / `-spnego` /
 * `-iakerb` / `-krb5` (MIT gss-client syntax) to a factory that builds a `Mechanism`
 * from command-line credentials. Providers are imported lazily, so a provider that is
 * missing or broken only breaks the commands that select it.
 *
 * To add a mechanism: give its row a `factory` that imports the provider and maps
 * `MechanismFactoryOptions` onto the provider's own options.
 */
import { gssError } from '../core/errors.ts';
import type { Mechanism, Role } from '../core/mechanism.ts';
import { MechOids, NameTypeOids, parseOid } from './oids.ts';

/** The mock's deliberate faults, reachable through the hidden `--mock-misbehave` switch. */
export interface MockMisbehave {
  skipMutualProof?: boolean;
  corruptToken?: MockCorruptTarget;
  stallMs?: number;
}

/** Which token the mock damages (see MockMisbehaviour in src/providers/mock/index.ts). */
export type MockCorruptTarget = 'init' | 'challenge' | 'proof' | 'wrap' | 'mic';
const CORRUPT_TARGETS: readonly string[] = ['init', 'challenge', 'proof', 'wrap', 'mic'];

export interface MechanismFactoryOptions {
  role: Role;
  /** Acceptor keytab (`-keytab`, else KRB5_KTNAME). */
  keytab?: string;
  /** Initiator name (`-user`). */
  user?: string;
  /** Initiator password (`-pass`). */
  password?: string;
  /** The service name the acceptor runs as (gss-server's `service_name`). */
  serviceName?: string;
  /** Shared secret of the mock mechanism (`--mock-secret`). */
  mockSecret?: string;
  mockMisbehave?: MockMisbehave;
  env: Record<string, string | undefined>;
  cwd: string;
}

export type MechanismFactory = (options: MechanismFactoryOptions) => Promise<Mechanism>;

export interface MechanismEntry {
  /** The `--mech` name. */
  name: string;
  /** OIDs (dotted) that select it through `-mech`; the first is its own. */
  oids: string[];
  summary: string;
  /** Name types gss_inquire_names_for_mech lists (gss-client prints them). */
  nameTypes: string[];
  /** Name type of the initiator's own name, as gss_display_name reports it. */
  sourceNameType: string;
  factory: MechanismFactory;
}

function notYet(name: string): MechanismFactory {
  return async () => {
    throw gssError('NOT_SUPPORTED', `mechanism ${name} is not available yet`);
  };
}

const mockFactory: MechanismFactory = async (options) => {
  const { mock } = await import('../providers/mock/index.ts');
  // Without --mock-secret both sides use the mock's documented DEMO_SECRET.
  return mock({
    ...(options.mockSecret !== undefined ? { secret: options.mockSecret } : {}),
    ...(options.role === 'initiator' && options.user !== undefined ? { name: options.user } : {}),
    ...(options.role === 'acceptor' && options.serviceName !== undefined
      ? { name: options.serviceName }
      : {}),
    ...(options.mockMisbehave ? { misbehave: options.mockMisbehave } : {}),
  });
};

/** MIT 1.20's gss_inquire_names_for_mech for krb5, in its order (seen from gss-client). */
const KERBEROS_NAME_TYPES = [
  NameTypeOids.USER_NAME,
  NameTypeOids.MACHINE_UID_NAME,
  NameTypeOids.STRING_UID_NAME,
  NameTypeOids.HOSTBASED_SERVICE,
  NameTypeOids.HOSTBASED_SERVICE_X,
  NameTypeOids.EXPORT_NAME,
  NameTypeOids.KRB5_PRINCIPAL,
  NameTypeOids.COMPOSITE_EXPORT,
  NameTypeOids.KRB5_ENTERPRISE,
];
const GENERIC_NAME_TYPES = [
  NameTypeOids.USER_NAME,
  NameTypeOids.MACHINE_UID_NAME,
  NameTypeOids.STRING_UID_NAME,
  NameTypeOids.HOSTBASED_SERVICE,
];

export const MECHANISMS: readonly MechanismEntry[] = [
  {
    name: 'mock',
    // MOCK_OID (src/providers/mock/context.ts), under RFC 5612's documentation arc; kept
    // here so looking a name up does not load the provider (a test checks they agree).
    oids: ['1.3.6.1.4.1.32473.1.1'],
    summary: 'deterministic test mechanism sharing a secret (no KDC, no network)',
    nameTypes: GENERIC_NAME_TYPES,
    sourceNameType: NameTypeOids.USER_NAME,
    factory: mockFactory,
  },
  {
    name: 'kerberos',
    oids: [MechOids.KERBEROS, MechOids.KERBEROS_MS, MechOids.KERBEROS_OLD],
    summary: 'Kerberos V5 (RFC 4120/4121): keytab, ccache or password',
    nameTypes: KERBEROS_NAME_TYPES,
    sourceNameType: NameTypeOids.KRB5_PRINCIPAL,
    factory: async (options) => (await import('./kerberos-factory.ts')).kerberosFactory(options),
  },
  {
    name: 'ntlm',
    oids: [MechOids.NTLM],
    summary: 'NTLMv2 (MS-NLMP): user and password, NTLM_USER_FILE on the acceptor',
    nameTypes: GENERIC_NAME_TYPES,
    sourceNameType: NameTypeOids.USER_NAME,
    factory: async (options) => (await import('./ntlm-factory.ts')).ntlmFactory(options),
  },
  {
    name: 'negotiate',
    oids: [MechOids.SPNEGO],
    summary: 'SPNEGO (RFC 4178) over Kerberos and NTLM',
    nameTypes: GENERIC_NAME_TYPES,
    sourceNameType: NameTypeOids.USER_NAME,
    factory: async (options) => (await import('./negotiate-factory.ts')).negotiateFactory(options),
  },
  {
    name: 'iakerb',
    oids: [MechOids.IAKERB],
    summary: 'IAKERB (Kerberos through the acceptor)',
    nameTypes: KERBEROS_NAME_TYPES,
    sourceNameType: NameTypeOids.KRB5_PRINCIPAL,
    factory: notYet('iakerb'),
  },
  {
    name: 'native',
    oids: [],
    summary: "the platform's GSS-API or SSPI library through FFI",
    nameTypes: GENERIC_NAME_TYPES,
    sourceNameType: NameTypeOids.USER_NAME,
    factory: async (options) => (await import('./native-factory.ts')).nativeFactory(options),
  },
];

const ALIASES: Record<string, string> = {
  krb5: 'kerberos',
  spnego: 'negotiate',
  ntlmssp: 'ntlm',
  gssapi: 'native',
  sspi: 'native',
};

/** Looks a mechanism up by name, alias, dotted OID or MIT brace OID. */
export function findMechanism(nameOrOid: string): MechanismEntry {
  const oid = parseOid(nameOrOid);
  const key = nameOrOid.trim().toLowerCase();
  const wanted = ALIASES[key] ?? key;
  const entry = MECHANISMS.find((m) => (oid === undefined ? m.name === wanted : m.oids.includes(oid)));
  if (entry) return entry;
  const known = MECHANISMS.map((m) => m.name).join(', ');
  throw gssError('BAD_MECH', `unknown mechanism "${nameOrOid}" (known: ${known}, or a mechanism OID)`);
}

/** Builds the selected mechanism; NOT_SUPPORTED for the ones not shipped yet. */
export async function loadMechanism(nameOrOid: string, options: MechanismFactoryOptions): Promise<Mechanism> {
  return findMechanism(nameOrOid).factory(options);
}

/** Parses `--mock-misbehave skip-mutual,corrupt=challenge,stall=500` (hidden test switch). */
export function parseMockMisbehave(list: string): MockMisbehave {
  const out: MockMisbehave = {};
  for (const item of list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [key, value] = item.split('=');
    if (key === 'skip-mutual') out.skipMutualProof = true;
    else if (key === 'corrupt' && value !== undefined && CORRUPT_TARGETS.includes(value))
      out.corruptToken = value as MockCorruptTarget;
    else if (key === 'stall' && value !== undefined && /^\d+$/.test(value)) out.stallMs = Number(value);
    else throw gssError('INVALID_ARGUMENT', `unknown --mock-misbehave item "${item}"`);
  }
  return out;
}

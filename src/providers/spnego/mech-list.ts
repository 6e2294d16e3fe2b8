/**
 * MechTypeList ::= SEQUENCE OF MechType (RFC 4178 §4.1).
 *
 * Its DER is what the mechListMIC covers: "the DER encoding of the MechTypeList
 * SEQUENCE" as the initiator sent it, not the [0] wrapper around it (RFC 4178 §5 c).
 * The acceptor MICs the bytes it received (not a re-encoding), as MIT and Heimdal do,
 * so a peer that sent non-minimal lengths still verifies.
 */
import * as asn1js from 'asn1js';
import { type DerNode, malformed, TagClass, Universal } from '../kerberos/messages/asn1.ts';
import { type Asn, bad, rawDer, sequenceOf, toDer } from '../kerberos/messages/der.ts';

/** Most mechanisms a peer may list; Windows sends four, MIT lists what it has. */
export const MAX_MECH_TYPES = 32;

const DOTTED = /^[0-2](\.(0|[1-9]\d{0,9}))+$/;

/** An OBJECT IDENTIFIER element from a dotted OID (asn1js encodes it), refusing anything malformed. */
export function oidBlock(oid: string): Asn {
  if (typeof oid !== 'string' || !DOTTED.test(oid)) bad(`mechanism OID '${String(oid)}'`);
  return rawDer(new Uint8Array(new asn1js.ObjectIdentifier({ value: oid }).toBER(false)));
}

/** The DER of a MechTypeList (the bytes a mechListMIC covers). */
export function encodeMechTypeList(oids: readonly string[]): Uint8Array {
  if (oids.length === 0) bad('an empty MechTypeList');
  if (oids.length > MAX_MECH_TYPES) bad(`a MechTypeList of ${oids.length} entries`);
  return toDer(sequenceOf(oids.map(oidBlock)));
}

/** Reads one OBJECT IDENTIFIER node as a dotted string. */
export function readOid(node: DerNode, path: string): string {
  if (node.tagClass !== TagClass.UNIVERSAL || node.tag !== Universal.OBJECT_IDENTIFIER || node.constructed)
    throw malformed(path, 'expected an OBJECT IDENTIFIER');
  if (node.content.length === 0 || node.content.length > 64) throw malformed(path, 'bad OID length');
  // The last octet of a sub-identifier has the high bit clear; a trailing 0x80 is truncated.
  if ((node.content[node.content.length - 1]! & 0x80) !== 0) throw malformed(path, 'truncated OID');
  const parsed = asn1js.fromBER(node.raw, { maxDepth: 2, parseEmbedded: false });
  if (parsed.offset === -1 || !(parsed.result instanceof asn1js.ObjectIdentifier))
    throw malformed(path, 'bad OID');
  const value = parsed.result.getValue();
  if (!DOTTED.test(value)) throw malformed(path, `unusable OID '${value}'`);
  return value;
}

/** Reads a MechTypeList node: the OIDs and the exact bytes received. */
export function readMechTypeList(node: DerNode, path: string): { oids: string[]; der: Uint8Array } {
  if (node.tagClass !== TagClass.UNIVERSAL || node.tag !== Universal.SEQUENCE || !node.constructed)
    throw malformed(path, 'expected a SEQUENCE OF MechType');
  if (node.children.length === 0) throw malformed(path, 'empty mechanism list');
  if (node.children.length > MAX_MECH_TYPES)
    throw malformed(path, `${node.children.length} mechanisms listed, at most ${MAX_MECH_TYPES} accepted`);
  const oids = node.children.map((child, i) => readOid(child, `${path}[${i}]`));
  return { oids, der: node.raw.slice() };
}

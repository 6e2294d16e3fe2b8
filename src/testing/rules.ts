/**
 * The rules a mechanism must keep, each checked by one named conformance check.
 * docs/PROVIDERS.md explains each; a failed check's report names the rule it verifies,
 * so "rule:replay-refused failed" reads as "your mechanism breaks the replay rule".
 */

export const RULES = {
  'rule:handshake':
    'a handshake between the two roles completes in memory and both sides report consistent info()',
  'rule:send-every-token':
    'every output token is a non-empty Uint8Array, is not changed after it is returned, and no side waits for a token that never comes',
  'rule:done-once':
    'done is returned once; `established` flips exactly then; step() after done throws INVALID_STATE',
  'rule:flags-proven':
    'requested flags the mechanism supports are granted, and every granted flag is proven (mutual only after hearing from the acceptor, CONF hides the plaintext, REPLAY/SEQUENCE refuse)',
  'rule:typed-errors':
    'misuse (per-message calls before establishment, step(null) on an acceptor) fails with a GssockError carrying a known code',
  'rule:wrap-roundtrip':
    'wrap/unwrap round trip both ways, with and without confidentiality, for empty, small and large messages',
  'rule:mic-roundtrip': 'getMic/verifyMic round trip both ways, for empty, small and large messages',
  'rule:tamper-refused':
    'a bit flipped anywhere in a per-message token is refused with a typed peer error and does not disturb the context; a tampered handshake token fails typed or does no harm',
  'rule:truncated-refused':
    'a truncated per-message token is refused with a typed peer error; a truncated handshake token fails typed or does no harm',
  'rule:replay-refused':
    'with REPLAY granted, a per-message token seen twice is refused (DUPLICATE_TOKEN); a recorded handshake replayed to a fresh acceptor does not establish',
  'rule:reorder-refused':
    'with SEQUENCE granted, per-message tokens delivered out of order are refused (GAP/UNSEQ/OLD_TOKEN)',
  'rule:random-tokens':
    'random bytes in place of any handshake or per-message token give typed errors only (never a crash, a hang or a success)',
  'rule:dispose-wipes':
    'after dispose() every operation throws INVALID_STATE, dispose() is idempotent, and no key material can be read from the context',
  'rule:deterministic':
    'the same injected clock and randomness give byte-identical tokens; another seed gives different ones',
  'rule:mutual-enforced':
    'an impostor acceptor is refused, and the engine refuses a context whose mutual authentication is not granted (MUTUAL_AUTH_REQUIRED)',
  'rule:engine-handshake':
    'the engine establishes a session with the mechanism over an in-memory channel and carries messages both ways',
  'rule:socket-handshake':
    'several concurrent sessions establish over real loopback sockets and carry messages both ways (contexts share no mutable state)',
} as const;

export type RuleId = keyof typeof RULES;

export const RULE_IDS = Object.keys(RULES) as RuleId[];

/**
 * Deliberately broken mechanisms, one per rule of the kit: each is the working example
 * (examples/psk-mechanism) or the mock with ONE realistic mistake, so a test can assert
 * that the kit names exactly the rule the mistake breaks.
 */
import { psk } from '../../examples/psk-mechanism/psk.ts';
import { gssError, isGssockError } from '../../src/core/errors.ts';
import { Flags } from '../../src/core/flags.ts';
import type { ContextOptions, Mechanism, Role, SecurityContext } from '../../src/core/mechanism.ts';
import { mock } from '../../src/providers/mock/index.ts';
import type { ConformanceOptions, RuleId } from '../../src/testing/index.ts';
import { KEY, pskOptions } from './support.ts';

type Override = (inner: SecurityContext) => Partial<SecurityContext>;

/** A context that behaves like `inner` except for what `override` replaces. */
function patched(inner: SecurityContext, override: Override): SecurityContext {
  const o = override(inner);
  return {
    role: inner.role,
    mechanism: inner.mechanism,
    get established() {
      return inner.established;
    },
    step: o.step ?? ((t) => inner.step(t)),
    info: o.info ?? (() => inner.info()),
    wrap: o.wrap ?? ((m, w) => inner.wrap(m, w)),
    unwrap: o.unwrap ?? ((t) => inner.unwrap(t)),
    getMic: o.getMic ?? ((m, q) => inner.getMic(m, q)),
    verifyMic: o.verifyMic ?? ((m, t) => inner.verifyMic(m, t)),
    dispose: o.dispose ?? (() => inner.dispose()),
  };
}

function patchMechanism(
  base: Mechanism,
  override: Override,
  roles: Role[] = ['initiator', 'acceptor'],
): Mechanism {
  return {
    name: base.name,
    oid: base.oid,
    createContext: async (role, options) => {
      const ctx = await base.createContext(role, options);
      return roles.includes(role) ? patched(ctx, override) : ctx;
    },
  };
}

const withPatch = (override: Override, roles?: Role[]) =>
  pskOptions((m) => patchMechanism(m, override, roles));

export interface BrokenMechanism {
  rule: RuleId;
  mistake: string;
  options: ConformanceOptions;
}

/** The shared state bug: every context of a Mechanism uses the keys of the newest one. */
function sharedStatePsk(): Mechanism {
  const base = psk({ key: KEY, name: 'echo/server' });
  let newest: SecurityContext | undefined;
  return {
    name: base.name,
    oid: base.oid,
    createContext: async (role, options) => {
      const ctx = await base.createContext(role, options);
      newest = ctx;
      return patched(ctx, () => ({
        wrap: (m, w) => (newest ?? ctx).wrap(m, w),
        unwrap: (t) => (newest ?? ctx).unwrap(t),
      }));
    },
  };
}

export const BROKEN: BrokenMechanism[] = [
  {
    rule: 'rule:handshake',
    mistake: 'the acceptor reports another mechanism OID than the initiator',
    options: withPatch(
      (inner) => ({ info: () => ({ ...inner.info(), mechanismOid: '1.2.3.4' }) }),
      ['acceptor'],
    ),
  },
  {
    rule: 'rule:send-every-token',
    mistake: 'returns an empty Uint8Array instead of undefined when there is nothing to send',
    options: withPatch((inner) => ({
      step: async (t) => {
        const r = await inner.step(t);
        return { done: r.done, outputToken: r.outputToken ?? new Uint8Array(0) };
      },
    })),
  },
  {
    rule: 'rule:done-once',
    mistake: 'step() after done returns done again instead of throwing INVALID_STATE',
    options: withPatch((inner) => ({ step: (t) => (inner.established ? { done: true } : inner.step(t)) })),
  },
  {
    rule: 'rule:flags-proven',
    mistake: 'grants DELEGATE, which nobody asked for and it cannot do',
    options: withPatch((inner) => ({
      info: () => ({ ...inner.info(), flags: inner.info().flags | Flags.DELEGATE }),
    })),
  },
  {
    rule: 'rule:typed-errors',
    mistake: 'wrap() before establishment throws a plain Error',
    options: withPatch((inner) => ({
      wrap: (m, w) => {
        if (!inner.established) throw new Error('not ready');
        return inner.wrap(m, w);
      },
    })),
  },
  {
    rule: 'rule:wrap-roundtrip',
    mistake: 'unwrap() always says the message was confidential',
    options: withPatch((inner) => ({
      unwrap: async (t) => ({ ...(await inner.unwrap(t)), confidential: true }),
    })),
  },
  {
    rule: 'rule:mic-roundtrip',
    mistake: 'verifyMic() refuses the MIC of an empty message',
    options: withPatch((inner) => ({
      verifyMic: (m, t) => {
        if (m.length === 0) throw gssError('DEFECTIVE_TOKEN', 'empty message', { origin: 'peer' });
        return inner.verifyMic(m, t);
      },
    })),
  },
  {
    rule: 'rule:tamper-refused',
    mistake: 'unwrap() hands out the body of an integrity-only token whose tag does not verify',
    options: withPatch((inner) => ({
      unwrap: async (t) => {
        try {
          return await inner.unwrap(t);
        } catch (e) {
          if (isGssockError(e, 'BAD_SIGNATURE') && t[0] === 0x10) {
            return { message: t.slice(9, t.length - 16), confidential: false, qop: 0 };
          }
          throw e;
        }
      },
    })),
  },
  {
    rule: 'rule:truncated-refused',
    mistake: 'a lenient parser returns an empty message for a token too short to hold a header',
    options: withPatch((inner) => ({
      unwrap: (t) =>
        t.length < 9 ? { message: new Uint8Array(0), confidential: false, qop: 0 } : inner.unwrap(t),
    })),
  },
  {
    rule: 'rule:replay-refused',
    mistake: 'a cache of unwrapped tokens answers a token seen before instead of refusing it',
    options: withPatch((inner) => {
      const cache = new Map<string, Awaited<ReturnType<SecurityContext['unwrap']>>>();
      return {
        unwrap: async (t) => {
          const id = Array.from(t).join(',');
          const hit = cache.get(id);
          if (hit) return hit;
          const r = await inner.unwrap(t);
          cache.set(id, r);
          return r;
        },
      };
    }),
  },
  {
    rule: 'rule:replay-refused',
    mistake: 'the acceptor keeps its replay cache per context, so a replayed handshake is accepted',
    options: {
      ...pskOptions(),
      acceptor: () => ({
        name: 'psk',
        oid: psk({ key: KEY, name: 'x' }).oid,
        createContext: (role: Role, o?: ContextOptions) =>
          psk({ key: KEY, name: 'echo/server' }).createContext(role, o),
      }),
    },
  },
  {
    rule: 'rule:reorder-refused',
    mistake: 'claims SEQUENCE while only detecting replays (the mock asked without SEQUENCE)',
    options: {
      name: 'mock claiming SEQUENCE',
      mechanism: () => {
        const base = mock({ secret: 'x' });
        return patchMechanism(
          {
            name: base.name,
            oid: base.oid,
            createContext: (role, o = {}) =>
              base.createContext(role, { ...o, flags: (o.flags ?? 0) & ~Flags.SEQUENCE }),
          },
          (inner) => ({ info: () => ({ ...inner.info(), flags: inner.info().flags | Flags.SEQUENCE }) }),
        );
      },
      capabilities: { sequenceDetection: true },
    },
  },
  {
    rule: 'rule:random-tokens',
    mistake: 'step() reads a header without checking the length first (a RangeError escapes)',
    options: withPatch((inner) => ({
      step: (t) => {
        if (t && t.length < 4) throw new RangeError('Offset is outside the bounds of the DataView');
        return inner.step(t);
      },
    })),
  },
  {
    rule: 'rule:dispose-wipes',
    mistake: 'dispose() does nothing',
    options: withPatch(() => ({ dispose: () => {} })),
  },
  {
    rule: 'rule:deterministic',
    mistake: 'declares determinism but takes randomness from crypto.getRandomValues, not the injected source',
    options: pskOptions((m) => ({
      name: m.name,
      oid: m.oid,
      createContext: (role, o = {}) => {
        const { random: _ignored, ...rest } = o;
        return m.createContext(role, rest);
      },
    })),
  },
  {
    rule: 'rule:mutual-enforced',
    mistake: 'the initiator never grants MUTUAL (it forgot to set the flag after checking the proof)',
    options: withPatch(
      (inner) => ({ info: () => ({ ...inner.info(), flags: inner.info().flags & ~Flags.MUTUAL }) }),
      ['initiator'],
    ),
  },
  {
    rule: 'rule:engine-handshake',
    mistake: 'needs ContextOptions.clock instead of defaulting to Date.now (the engine injects none)',
    options: pskOptions((m) => ({
      name: m.name,
      oid: m.oid,
      createContext: (role, o = {}) => {
        if (!o.clock) throw gssError('INVALID_ARGUMENT', 'no clock given');
        return m.createContext(role, o);
      },
    })),
  },
  {
    rule: 'rule:socket-handshake',
    mistake: 'contexts of one acceptor Mechanism share the newest context’s keys',
    options: { ...pskOptions(), acceptor: () => sharedStatePsk() },
  },
];

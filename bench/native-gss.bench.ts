/**
 * native() (MIT libgssapi_krb5 through this runtime's FFI) against the pure kerberos()
 * mechanism, in the same run, same realm, same machine:
 * - handshake: full in-memory Kerberos handshakes (AP-REQ, AP-REP) per second, service
 *   ticket already cached, replay cache off on both acceptors (KRB5RCACHETYPE=none's
 *   equivalent: rcache `none:` / replayCache false), contexts disposed each time;
 * - wrap+unwrap: one 16 KiB message sealed by the initiator and opened by the acceptor
 *   (aes256-cts-hmac-sha1-96, RFC 4121 CFX), per second.
 * Ratio = native / pure. Needs MIT krb5 (a throwaway realm on loopback).
 */
import { readFileSync } from 'node:fs';
import { Flags } from '../src/core/flags.ts';
import type { Mechanism, SecurityContext } from '../src/core/mechanism.ts';
import { kerberos } from '../src/providers/kerberos/gss/mechanism.ts';
import { native } from '../src/providers/native/index.ts';
import { startServiceRealm } from './mit-service-realm.ts';
import { measure, report } from './lib.ts';

const TARGET = 'host@localhost';
const FLAGS = Flags.MUTUAL | Flags.REPLAY | Flags.SEQUENCE | Flags.CONF | Flags.INTEG;
const SIZE = 16 * 1024;

async function handshake(i: SecurityContext, a: SecurityContext): Promise<void> {
  const apReq = (await i.step(null)).outputToken!;
  const apRep = (await a.step(apReq)).outputToken!;
  await i.step(apRep);
}

async function pair(im: Mechanism, am: Mechanism) {
  const i = await im.createContext('initiator', { target: TARGET, flags: FLAGS });
  const a = await am.createContext('acceptor', {});
  await handshake(i, a);
  return { i, a };
}

const { realm, keytab } = await startServiceRealm();
try {
  const environment = { KRB5_CONFIG: realm.krb5ConfPath };
  const impl: Record<'pure' | 'native', { im: Mechanism; am: Mechanism }> = {
    pure: {
      im: kerberos({ ccache: new Uint8Array(readFileSync(realm.ccachePath)) }),
      am: kerberos({ keytab: new Uint8Array(readFileSync(keytab)), replayCache: false }),
    },
    native: {
      im: native({ environment, credentials: { ccache: `FILE:${realm.ccachePath}` } }),
      am: native({ environment, credentials: { keytab: `FILE:${keytab}`, rcache: 'none:' } }),
    },
  };

  const handshakes: Record<string, number> = {};
  for (const [name, { im, am }] of Object.entries(impl)) {
    handshakes[name] = await measure(async () => {
      const { i, a } = await pair(im, am);
      i.dispose();
      a.dispose();
    });
  }
  report({ bench: 'handshake kerberos() (pure)', value: handshakes.pure!, unit: 'ops/s' });
  report({
    bench: 'handshake native() (MIT via FFI)',
    value: handshakes.native!,
    unit: 'ops/s',
    ratio: handshakes.native! / handshakes.pure!,
  });

  const message = new Uint8Array(SIZE).map((_, k) => k & 0xff);
  const wraps: Record<string, number> = {};
  for (const [name, { im, am }] of Object.entries(impl)) {
    const { i, a } = await pair(im, am);
    wraps[name] = await measure(async () => {
      await a.unwrap(await i.wrap(message));
    });
    i.dispose();
    a.dispose();
  }
  report({ bench: 'wrap+unwrap kerberos() (pure)', size: SIZE, value: wraps.pure!, unit: 'ops/s' });
  report({
    bench: 'wrap+unwrap native() (MIT via FFI)',
    size: SIZE,
    value: wraps.native!,
    unit: 'ops/s',
    ratio: wraps.native! / wraps.pure!,
  });
} finally {
  await realm.stop();
}

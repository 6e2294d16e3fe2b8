/** Shared set-up for the kit's tests: the example PSK mechanism's conformance options. */
import { psk } from '../../examples/psk-mechanism/psk.ts';
import type { Mechanism } from '../../src/core/mechanism.ts';
import type { ConformanceOptions } from '../../src/testing/index.ts';

export const KEY = new Uint8Array(32).fill(0x5a);
export const OTHER_KEY = new Uint8Array(32).fill(0xa5);

/** The example's claims, held to by the kit. */
export function pskOptions(wrap: (m: Mechanism) => Mechanism = (m) => m): ConformanceOptions {
  return {
    name: 'psk example',
    initiator: () => wrap(psk({ key: KEY, name: 'alice' })),
    acceptor: () => wrap(psk({ key: KEY, name: 'echo/server' })),
    impostor: () => psk({ key: OTHER_KEY, name: 'echo/server' }),
    target: 'echo/server',
    capabilities: { sequenceDetection: true, deterministic: true },
  };
}

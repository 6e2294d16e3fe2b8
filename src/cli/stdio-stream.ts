/**
 * Standard input and output as one ByteStream, for `gssock server -inetd` (inetd, or
 * systemd's Accept=yes socket units, hand the accepted socket over as fds 0 and 1).
 * Uses node:process, which Node, Deno and Bun all provide.
 */
import process from 'node:process';
import { gssError, toGssockError } from '../core/errors.ts';
import type { ByteStream } from '../transport/channel.ts';

/** A ByteStream reading process.stdin and writing process.stdout. */
export function stdioStream(): ByteStream {
  const reader = (process.stdin as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  let closed = false;
  return {
    remoteAddress: 'stdin/stdout',
    async read() {
      if (closed) return null;
      try {
        const next = await reader.next();
        if (next.done) return null;
        const chunk = next.value;
        return typeof chunk === 'string' ? encoder.encode(chunk) : new Uint8Array(chunk);
      } catch (e) {
        throw toGssockError(e, 'IO_ERROR', 'peer');
      }
    },
    write(bytes) {
      if (closed) return Promise.reject(gssError('CONNECTION_CLOSED', 'stdout is closed'));
      return new Promise<void>((resolve, reject) => {
        process.stdout.write(bytes, (e) => (e ? reject(toGssockError(e, 'IO_ERROR')) : resolve()));
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      await reader.return?.();
      process.stdin.pause();
      await new Promise<void>((resolve) => process.stdout.end(() => resolve()));
    },
  };
}

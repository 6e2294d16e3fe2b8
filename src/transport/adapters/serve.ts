/**
 * Runs a listener's stream handler for one accepted connection, the same way on every
 * runtime: a handler that throws (or rejects) must not take the listener down; its
 * stream is closed and the error is reported to `onError` if given. A handler that
 * returns a promise has its stream closed when the promise settles; one that returns
 * nothing owns the stream and must close it.
 */
import { type GssockError, toGssockError } from '../../core/errors.ts';
import type { ByteStream, StreamHandler } from '../channel.ts';

export function serveStream(
  stream: ByteStream,
  onStream: StreamHandler,
  onError: ((error: GssockError) => void) | undefined,
): void {
  Promise.resolve()
    .then(async () => {
      const result = onStream(stream);
      if (result !== undefined) {
        await result;
        await stream.close();
      }
    })
    .catch((e: unknown) => {
      void stream.close();
      try {
        onError?.(toGssockError(e));
      } catch {
        // A throwing error callback must not become an unhandled rejection either.
      }
    });
}

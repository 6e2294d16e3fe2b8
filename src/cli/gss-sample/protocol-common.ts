/**
 * Pieces both halves of the gss-sample protocol share: the handshake event shape the
 * engine reports, stage labels for errors (MIT prefixes each failure with what it was
 * doing: "initializing context", "verifying signature", ...), and a receive that treats
 * an early end of stream as the error it is.
 */
import { type GssockError, gssError, toGssockError } from '../../core/errors.ts';
import type { Frame, FrameChannel } from '../../transport/channel.ts';

export type { HandshakeEvent } from '../../engine/events.ts';

/** The step of the protocol an error happened in, as MIT's messages name it. */
export function stageOf(error: GssockError): string | undefined {
  const stage = error.details.stage;
  return typeof stage === 'string' ? stage : undefined;
}

/** Runs `fn`; a failure comes out as a GssockError tagged with `stage` (the first tag wins). */
export async function withStage<T>(stage: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const error = toGssockError(e);
    if (error.details.stage === undefined) error.details.stage = stage;
    throw error;
  }
}

/** The next frame; CONNECTION_CLOSED when the peer hung up instead (recv_token's "0 bytes read"). */
export async function receiveOrClosed(channel: FrameChannel): Promise<Frame> {
  const frame = await channel.receive();
  if (frame === null)
    throw gssError('CONNECTION_CLOSED', 'reading token flags: 0 bytes read', { origin: 'peer' });
  return frame;
}

/** Errors of the byte stream rather than of GSS-API: printed perror-style, not as "GSS-API error". */
export function isTransportError(error: GssockError): boolean {
  return (
    error.code === 'FRAME_TOO_LARGE' ||
    error.code === 'TRUNCATED' ||
    error.code === 'CONNECTION_CLOSED' ||
    error.code === 'PROTOCOL_ERROR' ||
    error.code === 'TIMEOUT' ||
    error.code === 'IO_ERROR'
  );
}

/**
 * Maps what runtimes throw at socket operations to GssockErrors, so a caller sees the
 * same codes on Node, Deno and Bun: a peer that went away is CONNECTION_CLOSED (origin
 * 'peer'), anything else IO_ERROR; the original error is kept as `cause`.
 */
import { AbortedError, type GssockError, gssError, isGssockError } from '../../core/errors.ts';

/** Node/Bun `error.code`s and Deno `error.name`s that mean the peer went away. */
const PEER_GONE = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'ERR_STREAM_PREMATURE_CLOSE',
  'ERR_STREAM_WRITE_AFTER_END',
  'ConnectionReset',
  'ConnectionAborted',
  'BrokenPipe',
  'UnexpectedEof',
]);

/** Codes that mean our side closed the socket (reads then simply end). */
const CLOSED_LOCALLY = new Set(['ERR_STREAM_DESTROYED', 'ERR_SOCKET_CLOSED', 'BadResource', 'Interrupted']);

function errorKey(e: unknown): string {
  if (typeof e !== 'object' || e === null) return '';
  const { code, name } = e as { code?: unknown; name?: unknown };
  return typeof code === 'string' ? code : typeof name === 'string' ? name : '';
}

/** True if the error says the socket was already closed by us. */
export function isLocalCloseError(e: unknown): boolean {
  return CLOSED_LOCALLY.has(errorKey(e));
}

/** A typed error for a failed socket operation (`op`: 'read', 'write', 'connect', ...). */
export function socketError(e: unknown, op: string, address?: string): GssockError {
  if (isGssockError(e)) return e;
  const key = errorKey(e);
  const message = e instanceof Error ? e.message : String(e);
  const where = address ? ` (${address})` : '';
  if (PEER_GONE.has(key))
    return gssError('CONNECTION_CLOSED', `${op}: the peer closed the connection${where}: ${message}`, {
      origin: 'peer',
      cause: e,
      details: { errno: key },
    });
  return gssError('IO_ERROR', `${op} failed${where}: ${message}`, { cause: e, details: { errno: key } });
}

/** The connection closed (without an error event) while a read was waiting. */
export function closedByPeer(op: string, address?: string): GssockError {
  return gssError('CONNECTION_CLOSED', `${op}: the connection closed${address ? ` (${address})` : ''}`, {
    origin: 'peer',
  });
}

/** Writing after our own close(). */
export function closedLocally(op: string): GssockError {
  return gssError('CONNECTION_CLOSED', `${op} on a byte stream that was closed`);
}

/** Rejects at once if `signal` is already aborted. */
export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new AbortedError(`${what} aborted`, { cause: signal.reason });
}

/** Formats host:port, bracketing IPv6 literals. */
export function formatAddress(host: string | undefined, port: number | undefined): string | undefined {
  if (host === undefined) return undefined;
  const h = host.includes(':') ? `[${host}]` : host;
  return port === undefined ? h : `${h}:${port}`;
}

/** Default interface for listeners: loopback, so exposing a service is an explicit choice. */
export const DEFAULT_LISTEN_HOST = '127.0.0.1';

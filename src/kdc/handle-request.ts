/**
 * The sans-IO KDC: one request's bytes in, the reply's bytes out (or null: drop it).
 *
 * Theory of operation
 * 1. Oversized input (policy.maxRequestSize) gets KRB_ERR_FIELD_TOOLONG (61).
 * 2. Input whose first octet is not [APPLICATION 10] or [APPLICATION 12] (0x6a / 0x6c)
 *    is not a KDC request: it is dropped, so the KDC never answers (and amplifies) noise.
 * 3. A request that does not decode gets KDC_ERR_BAD_PVNO (3) for a wrong pvno, else
 *    KRB_ERR_GENERIC (60).
 * 4. AS-REQ and TGS-REQ go to as-exchange.ts / tgs-exchange.ts; their refusals are
 *    `KdcErrorReply`s, turned into KRB-ERRORs naming the request's client and service.
 * 5. Nothing escapes: an unexpected failure (a bug) is answered with KRB_ERR_GENERIC, so
 *    the server loop keeps serving. Every outcome is reported to `state.observe`.
 */
import { isGssockError } from '../core/errors.ts';
import { MessageType } from '../providers/kerberos/constants.ts';
import { KerberosErrorCode as E } from '../providers/kerberos/error-codes.ts';
import { type DecodedKdcReq, decodeKdcReq } from '../providers/kerberos/messages/index.ts';
import { handleAsReq } from './as-exchange.ts';
import { encodeKdcError, type ErrorContext, KdcErrorReply, kdcError } from './errors.ts';
import type { KdcEvent, KdcRequestContext, KdcState } from './state.ts';
import { handleTgsReq } from './tgs-exchange.ts';

const AS_REQ_TAG = 0x6a;
const TGS_REQ_TAG = 0x6c;

function report(state: KdcState, event: KdcEvent): void {
  try {
    state.observe?.(event);
  } catch {
    // an observer's failure must not change the reply
  }
}

function errorReply(
  state: KdcState,
  ctx: KdcRequestContext,
  error: KdcErrorReply,
  context: Omit<ErrorContext, 'realm'>,
  event: Omit<KdcEvent, 'reply' | 'replySize'>,
): Uint8Array {
  const reply = encodeKdcError(error, { realm: state.db.realm, ...context }, ctx.now);
  report(state, {
    ...event,
    reply: 'KRB-ERROR',
    replySize: reply.length,
    errorCode: error.code,
    errorName: error.name,
    errorText: error.text,
  });
  return reply;
}

/** Answers one KDC request; null means "send nothing". Never throws. */
export function handleKdcRequest(
  state: KdcState,
  request: Uint8Array,
  ctx: KdcRequestContext,
): Uint8Array | null {
  const base = { request: 'unknown' as KdcEvent['request'], requestSize: request.length };
  if (request.length > state.policy.maxRequestSize)
    return errorReply(state, ctx, kdcError(E.KRB_ERR_FIELD_TOOLONG, 'request too large'), {}, base);
  if (request.length < 2 || (request[0] !== AS_REQ_TAG && request[0] !== TGS_REQ_TAG)) {
    report(state, { ...base, reply: 'dropped', replySize: 0 });
    return null;
  }
  const kind: KdcEvent['request'] = request[0] === AS_REQ_TAG ? 'AS-REQ' : 'TGS-REQ';
  let req: DecodedKdcReq;
  try {
    req = decodeKdcReq(request, { maxSize: state.policy.maxRequestSize });
  } catch (e) {
    const path = isGssockError(e) ? String(e.details.path ?? '') : '';
    const error = path.endsWith('pvno')
      ? kdcError(E.KDC_ERR_BAD_PVNO, 'Bad protocol version number')
      : kdcError(E.KRB_ERR_GENERIC, 'malformed request');
    return errorReply(state, ctx, error, {}, { ...base, request: kind });
  }
  const body = req.reqBody;
  const context: Omit<ErrorContext, 'realm'> = {};
  if (body.sname) context.sname = body.sname;
  if (body.cname) {
    context.cname = body.cname;
    context.crealm = body.realm;
  }
  const event = { ...base, request: kind };
  try {
    if (req.msgType === MessageType.AS_REQ) {
      const out = handleAsReq(state, req, ctx);
      report(state, {
        ...event,
        reply: 'AS-REP',
        replySize: out.reply.length,
        client: out.client,
        server: out.server,
        sessionEtype: out.sessionEtype,
        ticketEtype: out.ticketEtype,
        preauthenticated: out.preauthenticated,
      });
      return out.reply;
    }
    const out = handleTgsReq(state, req, ctx);
    report(state, {
      ...event,
      reply: 'TGS-REP',
      replySize: out.reply.length,
      client: out.client,
      server: out.server,
      sessionEtype: out.sessionEtype,
      ticketEtype: out.ticketEtype,
    });
    return out.reply;
  } catch (e) {
    const error =
      e instanceof KdcErrorReply
        ? e
        : isGssockError(e, 'ETYPE_NOT_SUPPORTED')
          ? kdcError(E.KDC_ERR_ETYPE_NOSUPP, 'KDC has no support for encryption type')
          : kdcError(E.KRB_ERR_GENERIC, 'internal KDC error');
    try {
      return errorReply(state, ctx, error, context, event);
    } catch {
      // The request's names could not be echoed (they decoded, so this is unexpected): answer without them.
      return errorReply(state, ctx, error, {}, event);
    }
  }
}

/** KRB_ERR_RESPONSE_TOO_BIG (52): what a UDP listener sends instead of a large reply (RFC 4120 §7.2.1). */
export function responseTooBig(state: KdcState, ctx: KdcRequestContext): Uint8Array {
  return encodeKdcError(
    kdcError(E.KRB_ERR_RESPONSE_TOO_BIG, 'Response too big for UDP, retry with TCP'),
    { realm: state.db.realm },
    ctx.now,
  );
}

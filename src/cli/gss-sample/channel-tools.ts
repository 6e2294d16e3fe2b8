/**
 * Decorators over a FrameChannel that the sample programs need and the engine does not
 * provide: a tap (gss-server -verbose dumps every handshake token in hex, which the
 * engine's size-only events cannot give) and a per-receive deadline (gss-misc.c's
 * read_all() gives up after 10 s of silence, so a stalled client cannot hold the
 * sequential server forever).
 */
import { TimeoutError } from '../../core/errors.ts';
import type { Frame, FrameChannel } from '../../transport/channel.ts';

export interface ChannelTap {
  onSend?(frame: Frame): void;
  onReceive?(frame: Frame): void;
}

/**
 * `channel` with `send` and/or `receive` replaced; codec, remote address and close pass
 * through (getters, so a decorated channel reads them live from the one below).
 */
export function decorateChannel(
  channel: FrameChannel,
  overrides: Partial<Pick<FrameChannel, 'send' | 'receive'>>,
): FrameChannel {
  return {
    get codec() {
      return channel.codec;
    },
    get remoteAddress() {
      return channel.remoteAddress;
    },
    send: overrides.send ?? ((frame) => channel.send(frame)),
    receive: overrides.receive ?? (() => channel.receive()),
    close: () => channel.close(),
  };
}

/** A channel that reports each frame to `tap` as it passes. */
export function tapChannel(channel: FrameChannel, tap: ChannelTap): FrameChannel {
  return decorateChannel(channel, {
    async send(frame) {
      tap.onSend?.(frame);
      await channel.send(frame);
    },
    async receive() {
      const frame = await channel.receive();
      if (frame) tap.onReceive?.(frame);
      return frame;
    },
  });
}

/** A channel whose `receive()` fails with TimeoutError after `ms` without a frame. */
export function receiveDeadline(channel: FrameChannel, ms: number | undefined): FrameChannel {
  if (ms === undefined || ms <= 0 || !Number.isFinite(ms)) return channel;
  return decorateChannel(channel, {
    receive() {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new TimeoutError(`no data from the peer for ${ms} ms`, { origin: 'peer' })),
          ms,
        );
      });
      return Promise.race([channel.receive(), deadline]).finally(() => clearTimeout(timer));
    },
  });
}

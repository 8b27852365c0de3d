/**
 * What one WebSocket client of the browser host may cost it. The page sends a request per click or per step, a
 * few hundred bytes each, and reads every event; these bounds sit far above that and far below what would let
 * one local process grow the host's memory without limit or starve the other tabs.
 */

/** A request is a channel name and a small payload; anything bigger is not ours (ws closes with 1009). */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
/** Authenticated sockets at once (tabs of the page); a further upgrade is answered 503. */
export const MAX_SOCKETS = 16;
/** Requests one socket may have unanswered at once. */
export const MAX_IN_FLIGHT = 64;
/** Messages one socket may send: a burst of this many, refilled at this rate per second. */
export const MESSAGE_BURST = 200;
export const MESSAGES_PER_SECOND = 50;
/** Bytes one socket may send, the same way: a few near-limit messages pass, a stream of them does not. */
export const BYTE_BURST = 8 * 1024 * 1024;
export const BYTES_PER_SECOND = 1024 * 1024;
/** Bytes queued towards a client that does not read; past this it is dropped rather than buffered. */
export const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

/** A token bucket: take(n) is false once the client spends faster than the rate allows. */
export function tokenBucket(
  burst: number,
  perSecond: number,
  now: () => number = Date.now,
): { take(amount?: number): boolean } {
  let tokens = burst;
  let last = now();
  return {
    take(amount = 1) {
      const at = now();
      tokens = Math.min(burst, tokens + ((at - last) / 1000) * perSecond);
      last = at;
      if (tokens < amount) return false;
      tokens -= amount;
      return true;
    },
  };
}

/** Both budgets of one socket: messages and bytes. */
export function messageBudget(): { take(bytes: number): boolean } {
  const messages = tokenBucket(MESSAGE_BURST, MESSAGES_PER_SECOND);
  const bytes = tokenBucket(BYTE_BURST, BYTES_PER_SECOND);
  return { take: (size) => messages.take() && bytes.take(size) };
}

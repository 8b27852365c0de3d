/**
 * Paging through the AWS SDK's own paginators (`paginateListStacks`, `paginateDescribeStackEvents`,
 * `paginateListStackInstances`, …), with every page request retried like any other call.
 *
 * The SDK's paginators accept only an instance of the service's client class (`config.client instanceof
 * CloudFormationClient`), while the deployers take any `{ send }` (a real client, a fault-injecting proxy, a test
 * fake). `pagingClient` bridges the two: an object with the client class's prototype whose `send` goes through
 * call-with-retry to the given sender. Only `send` is used by the paginators.
 */
import { withRetry, type RetryContext } from './call-with-retry.js';

type Sender = { send: (command: never) => Promise<unknown> };

export function pagingClient<C extends object>(
  ClientClass: { prototype: C },
  sender: Sender,
  /** Without it, each page is sent once (for callers whose client already retries). */
  retry?: RetryContext,
): C {
  const send = (command: never): Promise<unknown> =>
    retry === undefined ? sender.send(command) : withRetry(() => sender.send(command), retry);
  return Object.create(ClientClass.prototype, { send: { value: send } }) as C;
}

/** Every item of every page. */
export async function collectPages<P, T>(
  pages: AsyncIterable<P>,
  items: (page: P) => readonly T[] | undefined,
): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...(items(page) ?? []));
  return all;
}

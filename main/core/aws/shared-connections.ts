/**
 * One keep-alive connection pool for every SDK client of a process. The engine builds a client per account (each
 * with that account's credentials) and the SDK gives each client its own agent, so every account would open — and
 * on AWS, TLS-handshake — fresh connections to the same regional endpoint. Credentials are per request (SigV4), not
 * per connection, so sharing the pool is safe and saves a handshake per account and service.
 */
import http from 'node:http';
import https from 'node:https';

/** Enough for the highest deploy concurrency with a poll and a describe in flight per account. */
const MAX_SOCKETS_PER_HOST = 128;

/*
 * The SDK destroys a client's agents when the client is destroyed; a shared pool must outlive any one client.
 * Idle keep-alive sockets are unref'd by Node, so they never keep the process alive.
 */
class SharedHttpAgent extends http.Agent {
  override destroy(): void {}
}
class SharedHttpsAgent extends https.Agent {
  override destroy(): void {}
}

let shared: { httpAgent: http.Agent; httpsAgent: https.Agent } | undefined;

/** The `requestHandler` options to give every SDK client (the SDK builds its handler around these agents). */
export function sharedRequestHandler(): { httpAgent: http.Agent; httpsAgent: https.Agent } {
  shared ??= {
    httpAgent: new SharedHttpAgent({ keepAlive: true, maxSockets: MAX_SOCKETS_PER_HOST }),
    httpsAgent: new SharedHttpsAgent({ keepAlive: true, maxSockets: MAX_SOCKETS_PER_HOST }),
  };
  return shared;
}

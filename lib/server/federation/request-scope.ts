import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';

// What the calls to other servers made while serving one client request share: how many companion hops deep the
// request already is, how many more calls it may cause, and a signal that fires when the client goes away. This is
// what keeps mounts that (directly or through other nodes) read through each other from turning one request into an
// endless storm: every outgoing call carries the hop count + 1, a node stops calling out at MAX_HOPS, the number of
// calls per client request is bounded, and everything still running is aborted when the client leaves.

/** Sent on every call to another server; a companion receiving it counts one more hop. */
export const HOP_HEADER = 'X-Add-To-Cloud-Hop';
/** Outgoing calls may carry at most this hop count (a bridge needs 2: home → bridge → sharer). */
export const MAX_HOPS = 4;
/** Calls to other servers one client request may cause (accepting a share needs about 16 in the worst case). */
export const MAX_CALLS_PER_REQUEST = 32;

interface RequestScope {
  /** Hops the incoming request already made (0 for a request from a client, not from a companion). */
  hop: number;
  callsLeft: number;
  /** Aborted when the client of the incoming request disconnects before its answer is complete. */
  signal: AbortSignal;
}

const scopes = new AsyncLocalStorage<RequestScope>();

function hopOf(req: IncomingMessage): number {
  const value = Number(req.headers[HOP_HEADER.toLowerCase()]);
  return Number.isInteger(value) && value > 0 ? Math.min(value, MAX_HOPS + 1) : 0;
}

/** Runs the handling of one incoming request in its own scope. */
export function runInRequestScope(req: IncomingMessage, res: ServerResponse, handle: () => void): void {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort(new Error('the client went away'));
  });
  scopes.run({ hop: hopOf(req), callsLeft: MAX_CALLS_PER_REQUEST, signal: controller.signal }, handle);
}

function freshScope(signal: AbortSignal = new AbortController().signal): RequestScope {
  return { hop: 0, callsLeft: MAX_CALLS_PER_REQUEST, signal };
}

/** The scope of the request being served, or a fresh one for work that is not part of a request. */
export function currentScope(): RequestScope {
  return scopes.getStore() ?? freshScope();
}

/**
 * Runs `work` in a fresh scope of its own (its calls aborted when `signal` fires, if given): for calls whose outcome
 * must not depend on the client of the request being served. The client controls its hop header, its call budget
 * and when it goes away; a call that fails because of those would otherwise look like a peer that cannot be reached
 * (see incoming-signature.ts), or make a notification look refused (notification-outbox.ts).
 */
export function outsideRequestScope<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  return scopes.run(freshScope(signal), work);
}

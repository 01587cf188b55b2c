import type { Routes } from './http/router';
import { sendJson } from './http/respond';

// GET /health for load balancers and service managers: no login, no file system walk, one indexed read of the
// database. 200 {"status":"ok"} while the database answers, 503 {"status":"unavailable"} when it does not (closed,
// locked beyond the busy timeout, file gone), so a balancer takes the node out instead of sending users errors.

export function registerHealth(routes: Routes): void {
  routes.on(['GET', 'HEAD'], '/health', 'json', async ({ app, res }) => {
    let healthy: boolean;
    try {
      // Never an account (user ids are not empty): a cheap primary-key lookup that must answer.
      await app.store.getUser('');
      healthy = true;
    } catch (error) {
      app.log.warn({ err: error }, 'health check: the database does not answer');
      healthy = false;
    }
    sendJson(res, healthy ? 200 : 503, { status: healthy ? 'ok' : 'unavailable' });
  });
}

/**
 * GET /health/client: how this request reached the node, for `add-to-cloud-server doctor` (which calls its own public
 * URL and compares). Only facts about the caller's own request: the client address the node settled on (the caller's
 * own address), whether forwarding headers came along and whether the connecting peer is a trusted proxy — never the
 * peer's address itself (a proxy's internal address is not for the internet).
 */
export function registerClientCheck(routes: Routes): void {
  routes.on('GET', '/health/client', 'json', ({ app, req, res, ip }) => {
    const forwarded = req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined;
    sendJson(res, 200, { client: ip, forwarded, trustedPeer: app.clientAddresses.isTrusted(req.socket.remoteAddress) });
  });
}

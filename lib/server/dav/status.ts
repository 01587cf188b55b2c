import type { Routes } from '../http/router';
import { COMPANION_VERSION, PRODUCT_NAME, SERVER_VERSION } from '../config';
import { sendJson } from '../http/respond';

// /status.php: what every client and peer asks first, to learn what kind of server this is. Here beside WebDAV, as
// in reva's ocdav service: it is the ownCloud root a WebDAV client probes.

/** ownCloud 10's status.php fields (peers require version >= 7), our product name, and our own release as an extra
 * field ownCloud and Nextcloud clients ignore (docs/server.md "Identity: status.php"). */
export function statusBody(): Record<string, unknown> {
  return {
    installed: true,
    maintenance: false,
    needsDbUpgrade: false,
    version: SERVER_VERSION.full,
    versionstring: SERVER_VERSION.string,
    edition: 'Community',
    productname: PRODUCT_NAME,
    product: PRODUCT_NAME,
    companionVersion: COMPANION_VERSION,
  };
}

export function registerStatus(routes: Routes): void {
  // Like ownCloud and Nextcloud, status.php may be read from any origin: it is how clients find out what a server is.
  routes.on('GET', '/status.php', 'json', ({ res }) =>
    sendJson(res, 200, statusBody(), { 'Access-Control-Allow-Origin': '*' }),
  );
}

/** Thrown anywhere in a handler; the route wrapper turns it into the response format of that endpoint family. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** OCS meta statuscode when it differs from the HTTP status (e.g. 997 for "Unauthorised"). */
    readonly ocsCode?: number,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * Answered as plain JSON `{"message": …}` whatever the endpoint family (no OCS envelope, no Sabre XML), as Nextcloud
 * answers a failed CSRF check. Clients recognise it by status and body alone.
 */
export class PlainJsonError extends HttpError {}

export interface RecordedRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: string;
  credentials?: RequestCredentials;
  redirect?: RequestRedirect;
}

type Handler = (request: RecordedRequest) => Response | Promise<Response>;

/**
 * A fetch stand-in for pure client tests: routes by "METHOD /path" (query ignored), records every request,
 * answers 404 for anything unrouted. Real servers are exercised by the integration and browser tests.
 */
export function fakeFetch(routes: Record<string, Handler>) {
  const requests: RecordedRequest[] = [];
  const impl = (async (input: string | URL, init: RequestInit = {}) => {
    const url = new URL(String(input));
    const recorded: RecordedRequest = {
      method: init.method ?? 'GET',
      url,
      headers: new Headers(init.headers),
      body: typeof init.body === 'string' ? init.body : '',
      credentials: init.credentials,
      redirect: init.redirect,
    };
    requests.push(recorded);
    const handler = routes[`${recorded.method} ${url.pathname}`];
    return handler ? handler(recorded) : new Response('not found', { status: 404 });
  }) as typeof fetch;
  return { impl, requests };
}

export const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/** An OCS v2 answer: the HTTP status mirrors the OCS code (997 "Unauthorised" is HTTP 401, as ownCloud sends it). */
export const ocs = (data: unknown, statuscode = 200, message: string | null = null) =>
  json(
    { ocs: { meta: { status: statuscode < 300 ? 'ok' : 'failure', statuscode, message }, data } },
    statuscode === 100 ? 200 : statuscode === 997 ? 401 : statuscode,
  );

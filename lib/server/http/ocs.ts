import type { ServerResponse } from 'node:http';
import { XMLBuilder } from 'fast-xml-parser';
import { HttpError } from './errors';

// OCS envelope: {"ocs":{"meta":{status,statuscode,message,totalitems,itemsperpage},"data":…}} in JSON or XML.
// v1 answers HTTP 200 with statuscode 100 on success; v2 mirrors the status in HTTP and uses 200.
// Failures: v2 uses the error status as HTTP status; v1 stays 200 except 401 (as ownCloud does).

type OcsVersion = 1 | 2;
type OcsFormat = 'json' | 'xml';

interface OcsTarget {
  version: OcsVersion;
  format: OcsFormat;
}

export function ocsTarget(pathname: string, query: URLSearchParams, accept: string | undefined): OcsTarget {
  const version: OcsVersion = pathname.startsWith('/ocs/v1.php') ? 1 : 2;
  const format = query.get('format');
  const json = format === 'json' || (format === null && (accept ?? '').includes('application/json'));
  return { version, format: json ? 'json' : 'xml' };
}

const xml = new XMLBuilder({ format: true, indentBy: ' ', suppressEmptyNode: true, processEntities: true });

/** OCS XML lists their items as <element>; nulls become empty elements. */
function toXmlValue(value: unknown): unknown {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return { element: value.map(toXmlValue) };
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, toXmlValue(v)]));
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return value;
}

function send(
  res: ServerResponse,
  target: OcsTarget,
  httpStatus: number,
  meta: Record<string, unknown>,
  data: unknown,
  headers: Record<string, string> = {},
): void {
  const envelope = { ocs: { meta, data } };
  let body: string;
  let type: string;
  if (target.format === 'json') {
    body = JSON.stringify(envelope);
    type = 'application/json; charset=utf-8';
  } else {
    body = `<?xml version="1.0"?>\n${String(xml.build(toXmlValue(envelope)))}`;
    type = 'application/xml; charset=utf-8';
  }
  res.writeHead(httpStatus, {
    ...headers,
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-cache, no-store, must-revalidate',
  });
  res.end(body);
}

export function ocsOk(res: ServerResponse, target: OcsTarget, data: unknown, message: string | null = null): void {
  const statuscode = target.version === 1 ? 100 : 200;
  send(res, target, 200, { status: 'ok', statuscode, message, totalitems: '', itemsperpage: '' }, data);
}

export function ocsError(res: ServerResponse, target: OcsTarget, error: HttpError): void {
  const statuscode = error.ocsCode ?? error.status;
  const httpStatus = target.version === 2 ? error.status : error.status === 401 ? 401 : 200;
  send(
    res,
    target,
    httpStatus,
    { status: 'failure', statuscode, message: error.message, totalitems: '', itemsperpage: '' },
    [],
    error.headers,
  );
}

import * as v from 'valibot';
import { readAnswer } from '@/lib/answer';
import { InstanceError } from '@/lib/instance/errors';
import { InstanceClient, type Credentials } from '@/lib/instance/client';
import { requestJson } from '@/lib/instance/http';
import { classifyStatus } from '@/lib/instance/status-php';
import { STATUS_CHECK_MS } from '@/lib/timeouts';
import { fetchCapabilities } from './links';
import { parseLinkPolicy, type LinkPolicy } from './policy';

/** What the extension found out about one instance, for the options page's diagnostics view. */
export interface InstanceReport {
  /** From status.php now; undefined when the server did not answer. */
  live?: { kind: string; version: string; productName: string; maintenance: boolean };
  liveError?: unknown;
  /** From the capabilities (needs the app password). */
  links?: LinkPolicy;
  federation?: { outgoing: boolean; incoming: boolean };
  capabilitiesError?: unknown;
}

/**
 * Asks status.php (anonymous) and the capabilities (authenticated), independently, so one failing still shows the
 * other.
 */
/** `capabilities.files_sharing.federation`: whether the server sends and accepts federated shares. */
const Federation = v.object({
  files_sharing: v.object({
    federation: v.object({ outgoing: v.optional(v.unknown()), incoming: v.optional(v.unknown()) }),
  }),
});

export async function diagnose(
  credentials: Credentials,
  options: { fetchImpl?: typeof fetch } = {},
): Promise<InstanceReport> {
  const report: InstanceReport = {};
  const status = requestJson(`${credentials.baseUrl}/status.php`, {
    ...options,
    headers: { Accept: 'application/json' },
    timeoutMs: STATUS_CHECK_MS,
  }).then(
    (body) => {
      const result = classifyStatus(body);
      if (result.ok) report.live = result.status;
      else
        report.liveError = new InstanceError('bad-response', undefined, undefined, {
          problem: { code: result.reason, server: credentials.baseUrl },
        });
    },
    (error: unknown) => void (report.liveError = error),
  );
  const capabilities = fetchCapabilities(new InstanceClient(credentials, options)).then(
    (caps) => {
      report.links = parseLinkPolicy(caps);
      const federation = readAnswer(Federation, caps)?.files_sharing.federation;
      if (federation)
        report.federation = { outgoing: federation.outgoing === true, incoming: federation.incoming === true };
    },
    (error: unknown) => void (report.capabilitiesError = error),
  );
  await Promise.all([status, capabilities]);
  return report;
}

import { t, type MessageKey } from '@/lib/i18n';
import type { PlainProblem, Problem, ServerFailure, ServerProblem, ServerRole } from '@/lib/problem';
import type { ServerKind } from '@/lib/share/types';

/**
 * The one place where a problem (lib/problem.ts: a code with parameters) becomes words, in the browser's language
 * (public/_locales). A server's failure names that server: "Your cloud bob@… did not answer".
 */
const WHO: Record<ServerRole, MessageKey> = {
  instance: 'problemWhoInstance',
  sharer: 'problemWhoSharer',
  bridge: 'problemWhoBridge',
};

const FAILURE: Record<ServerFailure, MessageKey> = {
  unreachable: 'problemUnreachable',
  timeout: 'problemTimeout',
  unauthorized: 'problemUnauthorized',
  forbidden: 'problemForbidden',
  'not-found': 'problemNotFound',
  'server-error': 'problemServerError',
  'bad-response': 'problemBadResponse',
  rejected: 'problemRejected',
  redirected: 'problemRedirected',
  throttled: 'problemThrottled',
};

const PLAIN: Record<PlainProblem, MessageKey> = {
  'confirmation-expired': 'confirmExpired',
  'not-connected': 'problemNotConnected',
  'link-invalid': 'problemLinkInvalid',
  'share-page-closed': 'problemSharePageClosed',
  'password-wrong': 'problemPasswordWrong',
  'password-needed': 'problemPasswordNeeded',
  'link-is-file-drop': 'blockedFileDrop',
  'instance-is-ocis': 'problemInstanceIsOcis',
  'sharer-is-ocis': 'problemSharerIsOcis',
  'sharer-ocis-needs-bridge': 'problemSharerOcisNeedsBridge',
  'no-path-worked': 'problemNoPathWorked',
  interrupted: 'confirmInterrupted',
  'address-empty': 'problemAddressEmpty',
  'address-spaces': 'problemAddressSpaces',
  'address-scheme': 'problemAddressScheme',
  'address-credentials': 'problemAddressCredentials',
  'login-cancelled': 'problemLoginCancelled',
  'login-timeout': 'problemLoginTimeout',
  'fill-in-login': 'problemFillInLogin',
  unexpected: 'problemUnexpected',
};

const ABOUT_SERVER: Record<ServerProblem, MessageKey> = {
  'link-gone': 'problemLinkGone',
  'sharer-cannot-federate': 'problemSharerCannotFederate',
  'sharer-not-a-cloud': 'problemSharerNotACloud',
  'sharer-refused-cloud-id': 'problemSharerRefusedCloudId',
  'instance-refuses-federation': 'problemInstanceRefusesFederation',
  'instance-no-session': 'problemInstanceNoSession',
  'instance-cannot-reach-sharer': 'problemInstanceCannotReachSharer',
  'instance-lost-share': 'problemInstanceLostShare',
  'bridge-lost-share': 'problemBridgeLostShare',
  'permission-missing': 'problemPermissionMissing',
  'not-a-cloud': 'problemNotACloud',
  'not-installed': 'problemNotInstalled',
  maintenance: 'problemMaintenance',
  'permission-denied': 'problemPermissionDenied',
  'bridge-must-be-companion': 'problemBridgeMustBeCompanion',
  'ocis-cannot-connect': 'problemOcisCannotConnect',
  'login-rejected': 'problemLoginRejected',
  'login-bad-answer': 'problemLoginBadAnswer',
};

const KIND: Record<ServerKind, MessageKey> = {
  owncloud: 'kindOwncloud',
  nextcloud: 'kindNextcloud',
  ocis: 'kindOcis',
  companion: 'kindCompanion',
};
const kindName = (kind: string) => (kind in KIND ? t(KIND[kind as ServerKind]) : kind);

const failureOf = (code: string): { role: ServerRole; failure: ServerFailure } | undefined => {
  const match = /^(instance|sharer|bridge)-(.+)$/.exec(code);
  return match && match[2]! in FAILURE
    ? { role: match[1] as ServerRole, failure: match[2] as ServerFailure }
    : undefined;
};

export function problemText(problem: Problem): string {
  switch (problem.code) {
    case 'share-not-arrived':
      return t(
        problem.from === 'bridge' ? 'problemNotArrivedFromBridge' : 'problemNotArrivedFromSharer',
        problem.server,
      );
    case 'share-not-visible':
      return t('problemNotVisible', [problem.server, problem.path]);
    case 'sharer-cannot-reach-instance':
      return t('problemSharerCannotReachInstance', [problem.server, problem.instance]);
    case 'pair-needs-bridge':
      return t('problemPairNeedsBridge', [kindName(problem.sharer), kindName(problem.instance)]);
    case 'login-other-site':
      return t('problemLoginOtherSite', [problem.server, problem.site]);
    case 'address-invalid':
      return t('problemAddressInvalid', problem.input);
    case 'address-no-host':
      return t('problemAddressNoHost', problem.input);
    case 'address-bad-user':
      return t('problemAddressBadUser', problem.user);
  }
  if (problem.code in PLAIN) return t(PLAIN[problem.code as PlainProblem]);
  if ('server' in problem) {
    if (problem.code in ABOUT_SERVER) return t(ABOUT_SERVER[problem.code as ServerProblem], problem.server);
    const failed = failureOf(problem.code);
    if (failed) return t(FAILURE[failed.failure], t(WHO[failed.role], problem.server));
  }
  return t('problemUnexpected');
}

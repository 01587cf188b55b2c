import { t, type MessageKey } from '@/lib/i18n';
import type { PageClaims } from '@/lib/messaging/protocol';

const KIND_LABEL: Record<PageClaims['kind'], MessageKey> = {
  owncloud: 'kindOwncloud',
  nextcloud: 'kindNextcloud',
  ocis: 'kindOcis',
  companion: 'kindCompanion',
};

export const BLOCKED_LABEL: Record<NonNullable<PageClaims['federationBlockedReason']>, MessageKey> = {
  'file-drop': 'blockedFileDrop',
  'hide-download': 'blockedHideDownload',
  'federation-disabled': 'blockedFederationDisabled',
};

interface Props {
  /** From the tab URL: trusted. */
  origin: string;
  /** From the page: shown as text only. */
  claims: PageClaims;
}

/** The facts of a share as a definition list: the trusted origin first, then what the page says. */
export function ShareSummary({ origin, claims }: Props) {
  const itemKind = claims.isFolder === undefined ? t('itemUnknown') : claims.isFolder ? t('itemFolder') : t('itemFile');
  const owner = claims.ownerDisplayName ?? claims.owner;
  return (
    <dl class="summary">
      <dt>{t('confirmFrom')}</dt>
      <dd class="origin" data-testid="origin">
        {origin}
      </dd>
      <dt>{t('confirmServer')}</dt>
      <dd>{t(KIND_LABEL[claims.kind])}</dd>
      <dt>{t('confirmItem')}</dt>
      <dd data-testid="item">{claims.name ? `${claims.name} (${itemKind})` : itemKind}</dd>
      {owner && (
        <>
          <dt>{t('confirmOwner')}</dt>
          <dd data-testid="owner">{owner}</dd>
        </>
      )}
    </dl>
  );
}

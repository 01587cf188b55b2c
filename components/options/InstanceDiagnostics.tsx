import { useEffect, useState } from 'preact/hooks';
import { t, type MessageKey } from '@/lib/i18n';
import type { LinkPermissions, LinkPolicy } from '@/lib/share-out/policy';
import type { InstanceReport } from '@/lib/share-out/diagnostics';
import { ErrorNotice, Progress, useTask } from '../share-out/feedback';
import type { DiagnosticsApi, InstanceRow } from '@/lib/ui/options-api';

const yesNo = (value: boolean) => t(value ? 'diagYes' : 'diagNo');

const KIND: Record<LinkPermissions, MessageKey> = {
  view: 'linkKindView',
  'view-upload': 'linkKindViewUpload',
  'upload-only': 'linkKindUploadOnly',
};

/** ownCloud 10 can require a password for some kinds of links only (enforced_for): name them. */
function passwordRule(links: LinkPolicy): string {
  const kinds = (Object.keys(KIND) as LinkPermissions[]).filter((kind) => links.passwordRequired[kind]);
  if (kinds.length === 0) return t('diagNo');
  if (kinds.length === Object.keys(KIND).length) return t('diagYes');
  return t('diagPasswordFor', kinds.map((kind) => t(KIND[kind])).join(', '));
}

/** What the extension knows and finds out about one instance. */
function InstanceCard({ api, row }: { api: DiagnosticsApi; row: InstanceRow }) {
  const [permitted, setPermitted] = useState<boolean>();
  const [report, setReport] = useState<InstanceReport>();
  const task = useTask();
  const check = () => {
    void api.hasPermission(row.baseUrl).then(setPermitted, () => setPermitted(false));
    void task.run(() => api.report(row.id)).then((r) => r && setReport(r));
  };
  useEffect(check, [row.id]);

  // No await before requestPermission: the prompt must belong to the click.
  const grant = () => void api.requestPermission(row.baseUrl).then(setPermitted, () => setPermitted(false));

  const links = report?.links;
  return (
    <li data-testid="instance" class="instance">
      <strong>{row.label}</strong>
      <dl class="summary">
        <dt>{t('diagAddress')}</dt>
        <dd>{row.baseUrl}</dd>
        <dt>{t('diagPermission')}</dt>
        <dd data-testid="permission">
          {permitted === undefined ? '…' : permitted ? t('diagPermissionGranted') : t('diagPermissionMissing')}
          {permitted === false && (
            <button type="button" onClick={grant}>
              {t('diagGrant')}
            </button>
          )}
        </dd>
        <dt>{t('diagRecorded')}</dt>
        <dd>{`${row.kind} ${row.version}`.trim()}</dd>
        <dt>{t('diagStatus')}</dt>
        <dd data-testid="live-status">
          {report?.live &&
            (report.live.maintenance
              ? t('diagMaintenance')
              : t('diagOnline', `${report.live.productName} ${report.live.version}`.trim()))}
          {report?.liveError !== undefined && <ErrorNotice error={report.liveError} />}
        </dd>
        {links && (
          <>
            <dt>{t('diagLinks')}</dt>
            <dd>{links.enabled ? t('diagLinksOn') : t('diagLinksOff')}</dd>
            <dt>{t('diagPasswordEnforced')}</dt>
            <dd data-testid="password-enforced">{passwordRule(links)}</dd>
            <dt>{t('diagExpiry')}</dt>
            <dd>
              {links.expiry.enforced
                ? t('diagExpiryEnforced', String(links.expiry.maxDays ?? '?'))
                : t('diagExpiryOptional')}
            </dd>
            <dt>{t('diagUpload')}</dt>
            <dd>{yesNo(links.uploadAllowed)}</dd>
          </>
        )}
        {report?.federation && (
          <>
            <dt>{t('diagFederation')}</dt>
            <dd>{t('diagFederationValue', [yesNo(report.federation.outgoing), yesNo(report.federation.incoming)])}</dd>
          </>
        )}
      </dl>
      {report?.capabilitiesError !== undefined && <ErrorNotice error={report.capabilitiesError} />}
      {task.busy && <Progress label={t('diagChecking')} />}
      <ErrorNotice error={task.error} />
      <div class="actions">
        <button type="button" onClick={check} disabled={task.busy}>
          {t('diagRecheck')}
        </button>
      </div>
    </li>
  );
}

/** The diagnostics view: one card per connected instance. `version` changes when accounts were added or removed. */
export function InstanceDiagnostics({ api, version }: { api: DiagnosticsApi; version: number }) {
  const [rows, setRows] = useState<InstanceRow[]>();
  useEffect(() => void api.instances().then(setRows, () => setRows([])), [api, version]);
  return (
    <section aria-labelledby="diag-heading">
      <h2 id="diag-heading">{t('diagHeading')}</h2>
      <p class="hint">{t('diagIntro')}</p>
      {rows?.length === 0 && <p class="hint">{t('optionsNoAccountsYet')}</p>}
      <ul class="instances">
        {rows?.map((row) => (
          <InstanceCard key={row.id} api={api} row={row} />
        ))}
      </ul>
    </section>
  );
}

import { useEffect, useState } from 'preact/hooks';
import { t } from '@/lib/i18n';
import type { AccountRow, DefaultsApi, DiagnosticsApi, OptionsApi } from '@/lib/ui/options-api';
import { ConnectForm } from './ConnectForm';
import { DefaultsForm } from './options/DefaultsForm';
import { InstanceDiagnostics } from './options/InstanceDiagnostics';

/** For a new user: the whole of Add to Cloud in three steps, the first of which is right below. */
function Welcome() {
  return (
    <section aria-labelledby="welcome-heading" class="welcome" data-testid="welcome">
      <h2 id="welcome-heading">{t('welcomeHeading')}</h2>
      <ol class="steps">
        <li>{t('welcomeStepConnect')}</li>
        <li>{t('welcomeStepOpen')}</li>
        <li>{t('welcomeStepAdd')}</li>
      </ol>
    </section>
  );
}

/** The sections for sharing out: defaults and the per-instance diagnostics. */
export interface OptionsExtras {
  defaults: DefaultsApi;
  diagnostics: DiagnosticsApi;
}

/** Settings: the connected clouds (default, disconnect), connecting another, defaults and diagnostics. */
export function OptionsView({ api, extras }: { api: OptionsApi; extras?: OptionsExtras }) {
  const [accounts, setAccounts] = useState<AccountRow[]>();
  const [message, setMessage] = useState<string>();
  // Bumped on every account change, so the diagnostics follow.
  const [version, setVersion] = useState(0);
  const refresh = () => {
    setVersion((v) => v + 1);
    void api.accounts().then(setAccounts, () => setAccounts([]));
  };
  useEffect(refresh, [api]);

  const disconnect = async (id: string) => {
    const { revoked } = await api.disconnect(id);
    setMessage(revoked ? t('optionsDisconnected') : t('optionsDisconnectedNotRevoked'));
    refresh();
  };

  return (
    <main class="wide">
      <h1>{t('optionsTitle')}</h1>
      {accounts?.length === 0 && <Welcome />}
      <section aria-labelledby="accounts-heading">
        <h2 id="accounts-heading">{t('optionsAccounts')}</h2>
        {accounts?.length === 0 && <p data-testid="no-accounts">{t('optionsNoAccountsYet')}</p>}
        {accounts && accounts.length > 0 && (
          <ul class="accounts">
            {accounts.map((account) => (
              <li key={account.id} data-testid="account">
                <div>
                  <strong>{account.label}</strong>
                  <div class="hint">
                    {account.isBridge ? `${account.details} · ${t('optionsBridgeBadge')}` : account.details}
                  </div>
                </div>
                <div class="row-actions">
                  {account.isDefault ? (
                    <span class="badge">{t('optionsDefault')}</span>
                  ) : (
                    <button type="button" onClick={() => void api.makeDefault(account.id).then(refresh)}>
                      {t('optionsMakeDefault')}
                    </button>
                  )}
                  <button type="button" onClick={() => void disconnect(account.id)}>
                    {t('optionsDisconnect')}
                  </button>
                </div>
              </li>
            ))}
          </ul>
        )}
        {message && (
          <p class="notice" role="status">
            {message}
          </p>
        )}
      </section>
      {/* With no cloud yet, connecting is the only thing to do here: start in the address field. */}
      <ConnectForm api={api.connect} onConnected={refresh} autoFocus={accounts?.length === 0} />
      {extras && <DefaultsForm api={extras.defaults} />}
      {extras && <InstanceDiagnostics api={extras.diagnostics} version={version} />}
      <p class="hint">{t('optionsAbout')}</p>
    </main>
  );
}

import { t } from '@/lib/i18n';

/** Settings: the accounts section fills in once connecting an instance exists. */
export function OptionsView() {
  return (
    <main class="wide">
      <h1>{t('optionsTitle')}</h1>
      <section aria-labelledby="accounts-heading">
        <h2 id="accounts-heading">{t('optionsAccounts')}</h2>
        <p data-testid="no-accounts">{t('optionsNoAccounts')}</p>
      </section>
      <p class="hint">{t('optionsAbout')}</p>
    </main>
  );
}

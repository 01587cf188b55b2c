import { useState } from 'preact/hooks';
import { t } from '@/lib/i18n';
import type { SharePage } from '@/lib/share/types';
import { CloudIcon } from './CloudIcon';

interface Props {
  share: SharePage;
  /** Asks the background to open the extension-owned confirmation. */
  onActivate: () => Promise<{ opened: boolean } | undefined>;
}

type State = 'idle' | 'opening' | 'failed';

/** The button injected into share pages. Renders page-provided names as text only. */
export function AddToCloudButton({ share, onActivate }: Props) {
  const [state, setState] = useState<State>('idle');

  const activate = (event: MouseEvent) => {
    // A forged page can dispatch synthetic clicks on our host; only a real user gesture counts.
    if (!event.isTrusted) return;
    event.preventDefault();
    event.stopPropagation();
    setState('opening');
    onActivate().then(
      (result) => setState(result?.opened ? 'idle' : 'failed'),
      () => setState('failed'),
    );
  };

  const label = share.name ? t('addNamedToYourCloud', share.name) : t('addToYourCloud');
  return (
    <span class="atc">
      <button type="button" class="atc-button" title={label} aria-busy={state === 'opening'} onClick={activate}>
        <CloudIcon />
        <span>{state === 'opening' ? t('buttonOpening') : t('addToYourCloud')}</span>
      </button>
      {state === 'failed' && (
        <span class="atc-error" role="alert">
          {t('buttonFailed')}
        </span>
      )}
    </span>
  );
}

import { useState } from 'preact/hooks';
import { t } from '@/lib/i18n';
import type { SharePage } from '@/lib/share/types';
import { CloudIcon } from './CloudIcon';

interface Props {
  share: SharePage;
  /** Asks the background to open the extension-owned confirmation. */
  onActivate: () => Promise<{ opened: boolean } | undefined>;
  /** The history says this share is in the user's cloud: the button opens it there instead. */
  inCloud?: boolean;
  /** Asks the background to open the user's cloud at the added folder (the page never learns where that is). */
  onOpen?: () => Promise<{ opened: boolean } | undefined>;
}

type State = 'idle' | 'opening' | 'failed';

/** The button injected into share pages. Renders page-provided names as text only. */
export function AddToCloudButton({ share, onActivate, inCloud = false, onOpen }: Props) {
  const [state, setState] = useState<State>('idle');

  const activate = (event: MouseEvent) => {
    // A forged page can dispatch synthetic clicks on our host; only a real user gesture counts.
    if (!event.isTrusted) return;
    event.preventDefault();
    event.stopPropagation();
    const action = inCloud && onOpen ? onOpen : onActivate;
    setState('opening');
    action().then(
      (result) => setState(result?.opened ? 'idle' : 'failed'),
      () => setState('failed'),
    );
  };

  const label = inCloud ? t('buttonInCloud') : share.name ? t('addNamedToYourCloud', share.name) : t('addToYourCloud');
  return (
    <span class="atc">
      <button
        type="button"
        class={inCloud ? 'atc-button atc-in-cloud' : 'atc-button'}
        title={label}
        aria-busy={state === 'opening'}
        onClick={activate}
      >
        <CloudIcon />
        <span>{state === 'opening' ? t('buttonOpening') : inCloud ? t('buttonInCloud') : t('addToYourCloud')}</span>
      </button>
      {state === 'failed' && (
        <span class="atc-error" role="alert">
          {inCloud ? t('buttonOpenFailed') : t('buttonFailed')}
        </span>
      )}
    </span>
  );
}

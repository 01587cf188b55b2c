import { useState } from 'preact/hooks';
import { t, type MessageKey } from '@/lib/i18n';
import type { LinkShare } from '@/lib/share-out/links';
import { formatDay } from '../dates';
import { shareMailto } from './mail';
import type { ShareOutApi } from '@/lib/ui/share-out-api';
import type { PickedItem } from './FileBrowser';
import { QrCode } from './QrCode';

interface Props {
  api: Pick<ShareOutApi, 'copy'>;
  item: PickedItem;
  link: LinkShare;
  /** The password as typed; the server never gives it back, so this is the only moment to copy it. */
  password: string;
  senderName: string;
}

/** A fresh link and the ways to pass it on: copy, copy the password apart, e-mail (without the password), QR code. */
export function LinkResult({ api, item, link, password, senderName }: Props) {
  const [copied, setCopied] = useState<MessageKey>();
  const copy = (text: string, done: MessageKey) =>
    api.copy(text).then(
      () => setCopied(done),
      () => setCopied('copyFailed'),
    );
  const mailto = shareMailto({
    itemName: item.name,
    isFolder: item.isFolder,
    url: link.url,
    expireDate: link.expireDate,
    hasPassword: !!password,
    senderName,
  });

  return (
    <section class="link-result" aria-labelledby="link-ready-heading">
      <h3 id="link-ready-heading">{t('linkReady')}</h3>
      <div class="field">
        <label for="new-link-url">{t('linkUrl')}</label>
        <input
          id="new-link-url"
          type="text"
          readOnly
          value={link.url}
          data-testid="link-url"
          onFocus={(e) => (e.target as HTMLInputElement).select()}
        />
      </div>
      {link.expireDate && <p class="hint">{t('linkExpiresOn', formatDay(link.expireDate))}</p>}
      <div class="actions wrap">
        <button type="button" class="primary" onClick={() => void copy(link.url, 'linkCopied')} autoFocus>
          {t('linkCopy')}
        </button>
        {password && (
          <button type="button" onClick={() => void copy(password, 'passwordCopied')}>
            {t('linkCopyPassword')}
          </button>
        )}
        <a class="button" href={mailto} target="_blank" rel="noreferrer">
          {t('linkSendMail')}
        </a>
      </div>
      {password && <p class="hint">{t('linkPasswordApartHint')}</p>}
      <p role="status" class="hint" data-testid="copy-status">
        {copied && t(copied)}
      </p>
      <details class="more">
        <summary>{t('shareOutQrLabel')}</summary>
        <QrCode text={link.url} />
      </details>
    </section>
  );
}

import { t } from '@/lib/i18n';
import { formatDay } from '../dates';

/**
 * "Send by email": a mailto: link naming the item, the link and the expiry. The password is never in it — it
 * is copied apart, so the two travel by different channels.
 */
export interface ShareMail {
  itemName: string;
  isFolder: boolean;
  url: string;
  /** YYYY-MM-DD or '' */
  expireDate: string;
  hasPassword: boolean;
  senderName: string;
}

export function shareMailto(mail: ShareMail): string {
  const lines = [
    t('mailHello'),
    '',
    t(mail.isFolder ? 'mailSharedFolder' : 'mailSharedFile', [mail.senderName, mail.itemName]),
    mail.url,
    '',
    ...(mail.expireDate ? [t('mailUntil', formatDay(mail.expireDate))] : []),
    ...(mail.hasPassword ? [t('mailPasswordApart')] : []),
    t('mailAddToCloud'),
  ];
  const subject = t('mailSubject', [mail.senderName, mail.itemName]);
  return `mailto:?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(lines.join('\r\n'))}`;
}

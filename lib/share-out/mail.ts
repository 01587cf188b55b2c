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
  const what = mail.isFolder ? 'folder' : 'file';
  const lines = [
    'Hello,',
    '',
    `${mail.senderName} shared the ${what} “${mail.itemName}” with you:`,
    mail.url,
    '',
    ...(mail.expireDate ? [`The link works until ${mail.expireDate}.`] : []),
    ...(mail.hasPassword ? ['It is protected by a password, which you will receive separately.'] : []),
    'If you have your own ownCloud or Nextcloud, you can add it to your cloud from the link page.',
  ];
  const subject = `${mail.senderName} shared “${mail.itemName}” with you`;
  return `mailto:?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(lines.join('\r\n'))}`;
}

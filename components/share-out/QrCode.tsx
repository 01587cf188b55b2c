import { t } from '@/lib/i18n';
import { qrMatrix, qrPath } from '@/lib/share-out/qr';

/** The link as a QR code, for a phone; left out while no generator is bundled (lib/share-out/qr.ts). */
export function QrCode({ text }: { text: string }) {
  const matrix = qrMatrix(text);
  if (!matrix) return null;
  const size = matrix.length + 8;
  return (
    <svg
      class="qr"
      role="img"
      aria-label={t('shareOutQrLabel')}
      viewBox={`0 0 ${size} ${size}`}
      width={size * 4}
      height={size * 4}
      shape-rendering="crispEdges"
    >
      {/* Always dark on white: scanners need the contrast whatever the page's colour scheme. */}
      <rect width={size} height={size} fill="#fff" />
      <path d={qrPath(matrix)} fill="#000" />
    </svg>
  );
}

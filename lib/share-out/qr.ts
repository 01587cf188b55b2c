import qrcode from 'qrcode-generator';

/**
 * The QR code generator (`qrcode-generator`: MIT, no dependencies, small), kept behind this one function so the
 * library can be swapped in one place. Answers the module matrix (true = dark), or undefined when the text does
 * not fit in a QR code: the UI then leaves the code out.
 */
export function qrMatrix(text: string): boolean[][] | undefined {
  try {
    const qr = qrcode(0, 'M');
    qr.addData(text, 'Byte');
    qr.make();
    const size = qr.getModuleCount();
    return Array.from({ length: size }, (_, row) => Array.from({ length: size }, (_, col) => qr.isDark(row, col)));
  } catch {
    return undefined;
  }
}

/** An SVG path for a module matrix: one 1×1 square per dark module, drawn in a viewBox with a 4-module margin. */
export function qrPath(matrix: boolean[][]): string {
  const parts: string[] = [];
  matrix.forEach((row, y) => row.forEach((dark, x) => dark && parts.push(`M${x + 4} ${y + 4}h1v1h-1z`)));
  return parts.join('');
}

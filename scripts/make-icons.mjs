// Draws the toolbar/store icon (a cloud with a plus) into public/icon/{16,32,48,96,128}.png (48 and 96 for
// addons.mozilla.org, 128 for the Chrome Web Store). Run once when the design changes; the PNGs are committed. No image
// library needed: circles and rectangles, 4x4 supersampled, written as a plain RGBA PNG with node:zlib.
import { writeFileSync, mkdirSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
};

// Shapes in a 0..1 unit square.
const inCloud = (x, y) =>
  (x - 0.36) ** 2 + (y - 0.56) ** 2 < 0.2 ** 2 ||
  (x - 0.56) ** 2 + (y - 0.44) ** 2 < 0.25 ** 2 ||
  (x - 0.75) ** 2 + (y - 0.6) ** 2 < 0.17 ** 2 ||
  (x > 0.2 && x < 0.82 && y > 0.56 && y < 0.77);
const inPlus = (x, y) =>
  (Math.abs(x - 0.53) < 0.045 && Math.abs(y - 0.58) < 0.15) ||
  (Math.abs(y - 0.58) < 0.045 && Math.abs(x - 0.53) < 0.15);

function icon(size) {
  const ss = 4;
  const rows = [];
  for (let py = 0; py < size; py++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let px = 0; px < size; px++) {
      let cloud = 0;
      let plus = 0;
      for (let sy = 0; sy < ss; sy++)
        for (let sx = 0; sx < ss; sx++) {
          const x = (px + (sx + 0.5) / ss) / size;
          const y = (py + (sy + 0.5) / ss) / size;
          if (!inCloud(x, y)) continue;
          if (inPlus(x, y)) plus++;
          else cloud++;
        }
      const n = ss * ss;
      const alpha = (cloud + plus) / n;
      const white = plus / Math.max(1, cloud + plus);
      const o = 1 + px * 4;
      row[o] = Math.round(0x1d + (255 - 0x1d) * white);
      row[o + 1] = Math.round(0x4e + (255 - 0x4e) * white);
      row[o + 2] = Math.round(0xd8 + (255 - 0xd8) * white);
      row[o + 3] = Math.round(alpha * 255);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

mkdirSync(new URL('../public/icon/', import.meta.url), { recursive: true });
for (const size of [16, 32, 48, 96, 128])
  writeFileSync(new URL(`../public/icon/${size}.png`, import.meta.url), icon(size));

/**
 * A strong link password: 20 characters from an alphabet without look-alikes (0/O, 1/l/I), with at least one
 * lower case letter, upper case letter, digit and symbol, since server password policies commonly ask for each.
 * Uses crypto.getRandomValues with rejection sampling (no modulo bias).
 */
const SETS = ['abcdefghijkmnopqrstuvwxyz', 'ABCDEFGHJKLMNPQRSTUVWXYZ', '23456789', '-_.!?+=#%'];
const ALL = SETS.join('');

function pick(alphabet: string, random: (n: number) => number): string {
  return alphabet[random(alphabet.length)]!;
}

function randomBelow(n: number): number {
  const limit = Math.floor(256 / n) * n;
  const byte = new Uint8Array(1);
  for (;;) {
    crypto.getRandomValues(byte);
    if (byte[0]! < limit) return byte[0]! % n;
  }
}

export function generatePassword(length = 20, random: (n: number) => number = randomBelow): string {
  if (length < SETS.length) throw new Error(`A password needs at least ${SETS.length} characters.`);
  const chars = SETS.map((set) => pick(set, random));
  while (chars.length < length) chars.push(pick(ALL, random));
  // Fisher–Yates, so the guaranteed characters are not always in front.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = random(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

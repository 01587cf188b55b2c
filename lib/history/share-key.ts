/**
 * The identity of a share in the history: a SHA-256 of its origin and token. The history must recognise a share
 * it has added ("In your cloud ✓") without keeping the token, which opens the share for anyone who holds it;
 * a hash matches the same link again and gives nothing away if the history is read. No extension API, no network.
 */
export async function shareKey(origin: string, token: string): Promise<string> {
  // The newline cannot appear in an origin, so no two (origin, token) pairs hash the same input.
  const bytes = new TextEncoder().encode(`${origin}\n${token}`);
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

import { describe, expect, it } from 'vitest';
import { peerReason } from '../../../lib/server/federation/send';

// A peer that refuses a share gives a reason we pass on to our user in the OCS answer; the peer is not trusted.
describe('peerReason', () => {
  it('passes a short reason on unchanged', () => {
    expect(peerReason('The recipient has too many pending shares')).toBe('The recipient has too many pending shares');
  });

  it('makes one line of control characters and runs of white space', () => {
    expect(peerReason('  bad\r\n\tuser\u0000\u001b[31m red \u2028 ')).toBe('bad user [31m red');
  });

  it('cuts a huge reason to 300 characters, marked with an ellipsis', () => {
    const reason = peerReason('x'.repeat(1024 * 1024));
    expect(reason).toHaveLength(300);
    expect(reason.endsWith('…')).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { InstanceError } from '@/lib/instance/errors';
import { createFederatedShareUrl, interpretCreateFederatedShare } from '@/lib/mount/federated-share';

const outcome = (status: number, body: string) => {
  try {
    interpretCreateFederatedShare({ status, body });
    return 'ok';
  } catch (error) {
    expect(error).toBeInstanceOf(InstanceError);
    return (error as InstanceError).message;
  }
};

describe('createFederatedShare', () => {
  it('lives under index.php of the sharer’s install', () => {
    expect(createFederatedShareUrl('https://nc.example', '/nextcloud')).toBe(
      'https://nc.example/nextcloud/index.php/apps/federatedfilesharing/createFederatedShare',
    );
  });

  it.each([
    [200, '{"remoteUrl":"bob.example"}', 'ok'],
    [400, '{"message":"This server doesn\'t support outgoing federated shares"}', "This server doesn't support outgoing federated shares"],
    [400, '{"message":"Invalid Federated Cloud ID"}', 'Invalid Federated Cloud ID'],
    [400, 'garbage', 'refused (HTTP 400)'],
    [429, '', 'throttling'],
    [404, '<html>Not found</html>', 'cannot send federated shares from a link'],
    [500, '', 'internal error'],
    [0, '', 'could not be reached'],
    [200, '<html>login</html>', 'unexpected'],
    [200, '{"remoteUrl":42}', 'unexpected'],
  ])('HTTP %i %s → %s', (status, body, expected) => {
    expect(outcome(status, body)).toContain(expected);
  });
});

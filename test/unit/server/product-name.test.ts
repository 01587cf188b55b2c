// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { COMPANION_PRODUCT } from '@/lib/instance/server-status';
import { classifyStatus } from '@/lib/instance/status-php';
import { PRODUCT_NAME } from '@/lib/server/config';
import { statusBody } from '@/lib/server/dav/status';

// The companion names itself without importing the extension (lib/server ships on its own); the extension must still
// recognise it by that name.

describe('the companion product name', () => {
  it('is the name the extension recognises the companion by', () => {
    expect(PRODUCT_NAME).toBe(COMPANION_PRODUCT);
  });

  it("makes the extension classify the companion's status.php as the companion", () => {
    const result = classifyStatus(statusBody());
    expect(result).toMatchObject({ ok: true, status: { kind: 'companion', productName: PRODUCT_NAME } });
  });
});

// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { PERMISSION_CREATE, PERMISSION_DELETE, PERMISSION_READ, PERMISSION_UPDATE } from '@/lib/permissions';
import { ALL, allows, canRead, CREATE, DELETE, READ, SHARE, UPDATE } from '@/lib/server/shares/permissions';

// The companion keeps its own copy of the OCS permission bits (lib/server ships without the extension); both sides
// must still mean the same links by the same numbers.

describe('the companion share permission bits', () => {
  it('are the bits the extension sends', () => {
    expect([READ, UPDATE, CREATE, DELETE]).toEqual([
      PERMISSION_READ,
      PERMISSION_UPDATE,
      PERMISSION_CREATE,
      PERMISSION_DELETE,
    ]);
  });

  it("add up to ownCloud's 31 with the share bit", () => {
    expect(SHARE).toBe(16);
    expect(ALL).toBe(31);
  });

  it('tell a file drop (create only) from a readable link', () => {
    expect(canRead(CREATE)).toBe(false);
    expect(canRead(READ | CREATE)).toBe(true);
    expect(allows(READ | CREATE, CREATE)).toBe(true);
    expect(allows(READ, CREATE)).toBe(false);
  });
});

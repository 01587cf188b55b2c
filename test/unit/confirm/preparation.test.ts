import { describe, expect, it } from 'vitest';
import { centredOver } from '@/lib/confirm/placement';
import { usablePreparation } from '@/lib/confirm/preparation';
import { PREPARATION_FRESH_MS } from '@/lib/timeouts';

describe('the preparation made while the confirmation is open', () => {
  const prepared = {
    accountId: 'home',
    at: 1_000_000,
    sharerKind: 'companion' as const,
    shareInfo: { name: 'Photos', isFolder: true },
    noCopy: true,
  };

  it('is used for the account it was made for, while it is fresh', () => {
    expect(usablePreparation(prepared, 'home', prepared.at + 5_000)).toBe(prepared);
    expect(usablePreparation(prepared, 'home', prepared.at + PREPARATION_FRESH_MS)).toBe(prepared);
  });

  it('is asked again for another account, when stale, from the future, or missing', () => {
    expect(usablePreparation(prepared, 'work', prepared.at + 5_000)).toBeUndefined();
    expect(usablePreparation(prepared, 'home', prepared.at + PREPARATION_FRESH_MS + 1)).toBeUndefined();
    expect(usablePreparation(prepared, 'home', prepared.at - 1)).toBeUndefined();
    expect(usablePreparation(null, 'home', prepared.at)).toBeUndefined();
  });
});

describe('where the confirmation window opens', () => {
  it('centred over the browser window of the click, not in a corner of the screen', () => {
    expect(centredOver({ left: 100, top: 50, width: 1240, height: 900 }, { width: 440, height: 520 })).toEqual({
      left: 500,
      top: 240,
    });
  });

  it('never above or left of a browser window smaller than itself', () => {
    expect(centredOver({ left: 10, top: 20, width: 300, height: 400 }, { width: 440, height: 520 })).toEqual({
      left: 10,
      top: 20,
    });
  });

  it('leaves the place to the browser when the window’s bounds are unknown', () => {
    expect(centredOver(undefined, { width: 440, height: 520 })).toBeUndefined();
    expect(centredOver({ left: 0, top: 0 }, { width: 440, height: 520 })).toBeUndefined();
  });
});

import { fireEvent, render, screen, within } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { HistoryList } from '@/components/HistoryList';
import type { HistoryEntry } from '@/lib/history/store';

const base = {
  at: Date.UTC(2026, 10, 27, 12),
  sharerOrigin: 'https://alice.example',
  accountId: 'a',
  accountLabel: 'bob@bob.example',
};
const mounted: HistoryEntry = { ...base, id: 'm', name: 'Photos', result: 'mounted', path: '/Photos' };
const failed: HistoryEntry = {
  ...base,
  id: 'f',
  name: 'Docs',
  result: 'failed',
  message: 'The share password is wrong.',
};
const forgotten: HistoryEntry = { ...base, id: 'x', name: 'Old', result: 'failed' };

function renderList() {
  const actions = { onOpen: vi.fn(), onRetry: vi.fn(), onRemove: vi.fn(), retryable: new Set(['f']) };
  render(<HistoryList entries={[mounted, failed, forgotten]} {...actions} />);
  const [photos, docs, old] = screen.getAllByTestId('history-entry');
  return { actions, photos: within(photos!), docs: within(docs!), old: within(old!) };
}

describe('HistoryList actions', () => {
  it('opens an added share in the cloud, and offers no retry for it', () => {
    const { actions, photos } = renderList();
    fireEvent.click(photos.getByRole('button', { name: 'Open: Photos' }));
    expect(actions.onOpen).toHaveBeenCalledWith(mounted);
    expect(photos.queryByRole('button', { name: /Retry/ })).toBeNull();
  });

  it('marks a failure with an icon and words, and retries it while its link is known', () => {
    const { actions, docs, old } = renderList();
    const badge = docs.getByTestId('history-result');
    expect(badge.textContent).toBe('⚠ failed');
    expect(badge.querySelector('[aria-hidden="true"]')?.textContent).toContain('⚠');
    expect(docs.queryByRole('button', { name: /Open/ })).toBeNull();
    fireEvent.click(docs.getByRole('button', { name: 'Retry: Docs' }));
    expect(actions.onRetry).toHaveBeenCalledWith(failed);
    // Its link is gone (another browser session): nothing to retry with.
    expect(old.queryByRole('button', { name: /Retry/ })).toBeNull();
  });

  it('removes any entry', () => {
    const { actions, photos, old } = renderList();
    fireEvent.click(old.getByRole('button', { name: 'Remove: Old' }));
    fireEvent.click(photos.getByRole('button', { name: 'Remove: Photos' }));
    expect(actions.onRemove.mock.calls.map(([entry]) => (entry as HistoryEntry).id)).toEqual(['x', 'm']);
  });
});

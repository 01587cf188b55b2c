import { fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { AddToCloudButton } from '@/components/AddToCloudButton';
import type { SharePage } from '@/lib/share/types';

const share: SharePage = {
  kind: 'owncloud',
  generation: 'oc10',
  origin: 'https://cloud.example.com',
  basePath: '',
  token: 'AbCdEf123456789',
  shareUrl: 'https://cloud.example.com/s/AbCdEf123456789',
  name: '<img src=x onerror="window.pwned=1">',
  passwordRequired: false,
  isProtected: false,
  canFederate: true,
  needsServerConfirmation: false,
};

describe('AddToCloudButton', () => {
  it('is a real, labelled button whose tooltip names the item as plain text', () => {
    const { container } = render(<AddToCloudButton share={share} onActivate={vi.fn()} />);
    const button = screen.getByRole('button', { name: 'Add to your cloud' });
    expect(button.getAttribute('type')).toBe('button');
    expect(button.getAttribute('title')).toBe('Add “<img src=x onerror="window.pwned=1">” to your cloud');
    expect(container.querySelector('img')).toBeNull();
  });

  it('ignores clicks that a page script dispatches (not trusted)', () => {
    const onActivate = vi.fn(async () => ({ opened: true }));
    render(<AddToCloudButton share={share} onActivate={onActivate} />);
    fireEvent.click(screen.getByRole('button'));
    expect(onActivate).not.toHaveBeenCalled();
  });
});

describe('AddToCloudButton for a share already in the user’s cloud', () => {
  it('says so and opens it there (never the add flow), on a trusted click only', async () => {
    const onActivate = vi.fn(async () => ({ opened: true }));
    const onOpen = vi.fn(async () => ({ opened: true }));
    render(<AddToCloudButton share={share} inCloud onActivate={onActivate} onOpen={onOpen} />);
    const button = screen.getByRole('button', { name: 'In your cloud ✓ · Open' });
    fireEvent.click(button);
    expect(onOpen).not.toHaveBeenCalled();
    // happy-dom marks events it dispatches itself as untrusted; a real user click is trusted.
    const trusted = new MouseEvent('click', { bubbles: true });
    Object.defineProperty(trusted, 'isTrusted', { value: true });
    button.dispatchEvent(trusted);
    expect(onOpen).toHaveBeenCalledOnce();
    expect(onActivate).not.toHaveBeenCalled();
  });

  it('explains when the cloud could not be opened', async () => {
    render(<AddToCloudButton share={share} inCloud onActivate={vi.fn()} onOpen={async () => ({ opened: false })} />);
    const trusted = new MouseEvent('click', { bubbles: true });
    Object.defineProperty(trusted, 'isTrusted', { value: true });
    screen.getByRole('button').dispatchEvent(trusted);
    expect(await screen.findByRole('alert')).toHaveProperty(
      'textContent',
      'Could not open your cloud. Check in the settings that it is still connected.',
    );
  });
});

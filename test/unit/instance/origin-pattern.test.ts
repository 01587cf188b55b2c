import { describe, expect, it } from 'vitest';
import { originPattern } from '@/lib/instance/address';

describe('originPattern', () => {
  it('asks for the instance’s host without port or path (Firefox ignores port patterns when fetching)', () => {
    expect(originPattern('http://127.0.0.1:8102')).toBe('http://127.0.0.1/*');
    expect(originPattern('https://cloud.example.com/nextcloud')).toBe('https://cloud.example.com/*');
    expect(originPattern('https://[::1]:8443/oc')).toBe('https://[::1]/*');
  });
});

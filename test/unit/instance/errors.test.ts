import { describe, expect, it } from 'vitest';
import { errorForStatus, refusalForStatus } from '@/lib/instance/errors';

const reading = (error: { code: string; failure: string; status?: number } | undefined) =>
  error && { code: error.code, failure: error.failure, status: error.status };

describe('the one reading of an HTTP status', () => {
  it.each([200, 204, 207, 304])('status %i is no failure', (status) => {
    expect(errorForStatus(status)).toBeUndefined();
  });

  it.each([
    [400, 'rejected', 'rejected'],
    [401, 'unauthorized', 'unauthorized'],
    [403, 'forbidden', 'forbidden'],
    [404, 'not-found', 'not-found'],
    [412, 'rejected', 'rejected'],
    [429, 'rejected', 'throttled'],
    [500, 'server-error', 'server-error'],
    [503, 'server-error', 'server-error'],
  ])('status %i reads as %s (%s)', (status, code, failure) => {
    expect(reading(errorForStatus(status))).toEqual({ code, failure, status });
  });

  it.each([
    [400, 'rejected'],
    [401, 'unauthorized'],
    [403, 'rejected'],
    [404, 'rejected'],
    [429, 'rejected'],
    [204, 'rejected'],
    [500, 'server-error'],
    [502, 'server-error'],
  ])('read coarsely, status %i is %s', (status, code) => {
    expect(reading(refusalForStatus(status))).toEqual({ code, failure: code, status });
  });
});

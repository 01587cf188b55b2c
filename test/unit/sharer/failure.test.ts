import { describe, expect, it } from 'vitest';
import { problemFrom } from '@/lib/instance/errors';
import { linkFailure, passwordFailure, serverFailure } from '@/lib/sharer/failure';

const SHARER = 'https://nc.example';
const problem = (error: unknown) => problemFrom(error, 'sharer', SHARER);

describe('the one reading of a sharer status', () => {
  it.each([
    [0, { code: 'sharer-unreachable', server: SHARER }],
    [429, { code: 'sharer-throttled', server: SHARER }],
    [500, { code: 'sharer-server-error', server: SHARER }],
    [503, { code: 'sharer-server-error', server: SHARER }],
  ])('status %i is the server’s failure, whatever was asked', (status, expected) => {
    expect(problem(serverFailure(status))).toMatchObject(expected);
  });

  it.each([200, 207, 400, 401, 403, 404])('status %i is left to the operation or the link', (status) => {
    expect(serverFailure(status)).toBeUndefined();
  });

  it('reads 404 as a gone link and 403 as the password, told apart by whether one was given', () => {
    expect(problem(linkFailure(404, SHARER, false))).toEqual({ code: 'link-gone', server: SHARER });
    expect(problem(linkFailure(403, SHARER, false))).toEqual({ code: 'password-needed' });
    expect(problem(linkFailure(403, SHARER, true))).toEqual({ code: 'password-wrong' });
    expect(problem(passwordFailure(401, true))).toEqual({ code: 'password-wrong' });
    expect(linkFailure(401, SHARER, true)).toBeUndefined();
    expect(linkFailure(200, SHARER, true)).toBeUndefined();
  });
});

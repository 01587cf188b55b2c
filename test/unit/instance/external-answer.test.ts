import { describe, expect, it } from 'vitest';
import { InstanceError } from '@/lib/instance/errors';
import { readExternalAnswer } from '@/lib/instance/external-answer';

describe('readExternalAnswer', () => {
  it('reads an empty body (blank lines too) and a success as a mount', () => {
    expect(readExternalAnswer('')).toEqual({ status: 'empty' });
    expect(readExternalAnswer(' \n')).toEqual({ status: 'empty' });
    expect(readExternalAnswer('{"status":"success"}')).toMatchObject({ status: 'success', refusal: undefined });
  });

  it('reads an error answer with its refusal', () => {
    const body = JSON.stringify({
      status: 'error',
      data: { message: 'Token expired. Please reload page.', error: 'token_expired' },
    });
    expect(readExternalAnswer(`${body}\n`)).toEqual({
      status: 'error',
      refusal: { message: 'Token expired. Please reload page.', error: 'token_expired' },
    });
  });

  it('reads an error whose data is missing or of another shape as one without refusal', () => {
    expect(readExternalAnswer('{"status":"error"}')).toMatchObject({ status: 'error', refusal: undefined });
    expect(readExternalAnswer('{"status":"error","data":"nope"}')).toMatchObject({
      status: 'error',
      refusal: undefined,
    });
  });

  it.each(['[]', '42', '"success"', 'null', '{}', '{"status":"pending","data":{"message":"Remote is unreachable"}}'])(
    'reads the JSON %s as another answer, keeping a refusal-shaped data',
    (body) => {
      const reading = readExternalAnswer(body);
      expect(reading.status).toBe('other');
      expect(reading.refusal).toEqual(body.includes('unreachable') ? { message: 'Remote is unreachable' } : undefined);
    },
  );

  it.each(['<html>login</html>', '{"status":', 'success'])('turns the garbage %j into a bad-response', (body) => {
    let thrown: unknown;
    try {
      readExternalAnswer(body);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InstanceError);
    expect((thrown as InstanceError).code).toBe('bad-response');
  });
});

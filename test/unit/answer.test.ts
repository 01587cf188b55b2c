import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { readAnswer, readJsonAnswer } from '@/lib/answer';

const Named = v.object({ name: v.pipe(v.string(), v.nonEmpty()) });

describe('readAnswer', () => {
  it('gives the answer when it has the expected shape, extra fields dropped', () => {
    expect(readAnswer(Named, { name: 'Docs', extra: 1 })).toEqual({ name: 'Docs' });
  });

  it.each([null, undefined, 'Docs', 42, [], { name: '' }, { name: 7 }, {}])('reads %j as no answer', (value) => {
    expect(readAnswer(Named, value)).toBeUndefined();
  });

  it('reads a body that is not JSON, or JSON of the wrong shape, as no answer', () => {
    expect(readJsonAnswer(Named, '{"name":"Docs"}')).toEqual({ name: 'Docs' });
    expect(readJsonAnswer(Named, '<html>')).toBeUndefined();
    expect(readJsonAnswer(Named, '')).toBeUndefined();
    expect(readJsonAnswer(Named, '{"name":null}')).toBeUndefined();
  });
});

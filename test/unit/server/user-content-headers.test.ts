import { validateHeaderValue } from 'node:http';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { attachmentDisposition, userContentHeaders } from '@/lib/server/files/serve';
import { downloadTypeOf, isActiveType, wellFormedMime } from '@/lib/server/files/mime';

// The headers that keep user content from running as the node's origin (issue 8, finding 1).

describe('attachmentDisposition', () => {
  it('is a valid header for any name, with a plain ASCII fallback and the exact name in filename*', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (name) => {
        const value = attachmentDisposition(name);
        expect(() => validateHeaderValue('Content-Disposition', value)).not.toThrow();
        const match = /^attachment; filename="([\x20-\x7e]*)"; filename\*=UTF-8''([A-Za-z0-9!#$&+\-.^_`|~%]*)$/.exec(
          value,
        );
        expect(match).not.toBeNull();
        expect(match![1]).not.toMatch(/["\\]/);
        expect(decodeURIComponent(match![2]!)).toBe(name);
      }),
    );
  });

  it('survives names no file system gives but a header must not break on (lone surrogates, CR/LF)', () => {
    for (const name of ['a\ud800b.html', 'x\r\nSet-Cookie: a=b']) {
      expect(() => validateHeaderValue('Content-Disposition', attachmentDisposition(name))).not.toThrow();
    }
  });
});

describe('download types', () => {
  it('never sends a type a browser would run as a document or script', () => {
    for (const name of ['a.html', 'A.HTM', 'b.svg', 'c.xml', 'd.js', 'e.xhtml', 'f.xsl'])
      expect(downloadTypeOf(name)).toBe('application/octet-stream');
    for (const type of [
      'text/html; charset=utf-8',
      'image/svg+xml',
      'application/xhtml+xml',
      'text/xml',
      'application/rss+xml',
      'text/javascript',
      'application/x-javascript',
    ]) {
      expect(isActiveType(type), type).toBe(true);
    }
  });

  it('keeps inert types, so clients still learn what a file is', () => {
    expect(downloadTypeOf('notes.txt')).toBe('text/plain');
    expect(downloadTypeOf('photo.JPG')).toBe('image/jpeg');
    expect(downloadTypeOf('doc.pdf')).toBe('application/pdf');
    expect(isActiveType('application/json')).toBe(false);
  });

  it('sandboxes every file response', () => {
    expect(userContentHeaders('x.html')).toEqual({
      'Content-Type': 'application/octet-stream',
      'Content-Disposition': 'attachment; filename="x.html"; filename*=UTF-8\'\'x.html',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'X-Content-Type-Options': 'nosniff',
    });
  });

  it("keeps a remote's getcontenttype only when it is a well-formed type", () => {
    expect(wellFormedMime('text/plain')).toBe('text/plain');
    expect(wellFormedMime('text/html; charset=utf-8')).toBeUndefined();
    expect(wellFormedMime('<script>')).toBeUndefined();
    expect(wellFormedMime('')).toBeUndefined();
  });
});

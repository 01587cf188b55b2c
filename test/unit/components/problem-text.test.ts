import { describe, expect, it } from 'vitest';
import { problemText } from '@/components/problem-text';
import {
  PLAIN_PROBLEMS,
  SERVER_FAILURES,
  SERVER_PROBLEMS,
  type PlainProblem,
  type Problem,
  type ProblemCode,
  type ServerFailure,
  type ServerProblem,
  type ServerRole,
} from '@/lib/problem';
import { installMessages } from '../support/i18n';

/** The codes with parameters of their own; the compiler insists on one example of each. */
type SpecialCode = Exclude<ProblemCode, PlainProblem | ServerProblem | `${ServerRole}-${ServerFailure}`>;
const SPECIAL: { [C in SpecialCode]: Extract<Problem, { code: C }>[] } = {
  'share-not-arrived': [
    { code: 'share-not-arrived', server: 'bob@bob.example', from: 'sharer' },
    { code: 'share-not-arrived', server: 'bob@bob.example', from: 'bridge' },
  ],
  'share-not-visible': [{ code: 'share-not-visible', server: 'bob@bob.example', path: '/Photos 2026' }],
  'sharer-cannot-reach-instance': [
    { code: 'sharer-cannot-reach-instance', server: 'https://alice.example', instance: 'bob@bob.example' },
  ],
  'pair-needs-bridge': [{ code: 'pair-needs-bridge', sharer: 'owncloud', instance: 'nextcloud' }],
  'login-other-site': [{ code: 'login-other-site', server: 'https://cloud.example', site: 'https://phish.example' }],
  'address-invalid': [{ code: 'address-invalid', input: 'https://:99' }],
  'address-no-host': [{ code: 'address-no-host', input: 'https://a_b!' }],
  'address-bad-user': [{ code: 'address-bad-user', user: 'b/ob' }],
};
const ROLES: ServerRole[] = ['instance', 'sharer', 'bridge'];

const EVERY_PROBLEM: Problem[] = [
  ...PLAIN_PROBLEMS.map((code) => ({ code })),
  ...SERVER_PROBLEMS.map((code) => ({ code, server: 'https://srv.example' })),
  ...ROLES.flatMap((role) =>
    SERVER_FAILURES.map((failure): Problem => ({
      code: `${role}-${failure}`,
      server: `${role}@srv.example`,
      status: 502,
    })),
  ),
  ...Object.values(SPECIAL).flat(),
];

/** The values the words must show: every text parameter (kinds appear under their product name). */
const shown = (problem: Problem) =>
  Object.entries(problem)
    .filter(([name, value]) => name !== 'code' && name !== 'from' && typeof value === 'string')
    .map(([, value]) => ({ owncloud: 'ownCloud', nextcloud: 'Nextcloud' })[value as string] ?? (value as string));

describe('problemText: every problem in words, English and German', () => {
  it('covers every code', () => {
    const codes = new Set(EVERY_PROBLEM.map((p) => p.code));
    expect(codes.size).toBe(
      PLAIN_PROBLEMS.length +
        SERVER_PROBLEMS.length +
        ROLES.length * SERVER_FAILURES.length +
        Object.keys(SPECIAL).length,
    );
  });

  it.each(EVERY_PROBLEM.map((problem) => [problem.code, problem] as const))(
    '%s: words in both languages, with its parameters',
    (_code, problem) => {
      installMessages('en');
      const english = problemText(problem);
      installMessages('de');
      const german = problemText(problem);
      installMessages('en');
      for (const text of [english, german]) {
        // A missing key shows as the key itself, a missing placeholder as $NAME$.
        expect(text).toMatch(/\s/);
        expect(text).not.toMatch(/\$|problem[A-Z]/);
        for (const value of shown(problem)) expect(text).toContain(value);
      }
      expect(german).not.toBe(english);
      // Never falls back to "something went wrong" for a known problem.
      if (problem.code !== 'unexpected') expect(english).not.toBe(problemText({ code: 'unexpected' }));
    },
  );

  it('names whose server failed, and how', () => {
    expect(problemText({ code: 'instance-unreachable', server: 'bob@cloud.example' })).toBe(
      'Your cloud bob@cloud.example did not answer. Check the address and your connection, then try again.',
    );
    expect(problemText({ code: 'sharer-timeout', server: 'https://alice.example' })).toBe(
      'The sharer’s server https://alice.example did not answer in time. Try again in a moment.',
    );
    installMessages('de');
    expect(problemText({ code: 'sharer-unreachable', server: 'https://alice.example' })).toBe(
      'Der Server der Freigabe (https://alice.example) hat nicht geantwortet. Prüfe die Adresse und deine Verbindung und versuche es erneut.',
    );
    installMessages('en');
  });
});

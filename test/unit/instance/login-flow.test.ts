import { describe, expect, it } from 'vitest';
import { InstanceError } from '@/lib/instance/errors';
import { pollLoginFlow, startLoginFlow, waitForLogin } from '@/lib/instance/login-flow';
import { fakeFetch, json } from '../support/fake-fetch';

const base = 'https://cloud.example.com/nc';
const started = {
  poll: { token: 'poll-token', endpoint: 'https://cloud.example.com/nc/login/v2/poll' },
  login: 'https://cloud.example.com/nc/login/v2/flow/abc',
};

describe('Login Flow v2', () => {
  it('starts a flow on the instance and keeps its addresses', async () => {
    const { impl, requests } = fakeFetch({ 'POST /nc/index.php/login/v2': () => json(started) });
    expect(await startLoginFlow(base, { fetchImpl: impl })).toEqual({
      loginUrl: started.login,
      pollEndpoint: started.poll.endpoint,
      pollToken: 'poll-token',
    });
    expect(requests[0]!.credentials).toBe('omit');
  });

  it('refuses a flow whose login page lives on another site', async () => {
    const { impl } = fakeFetch({
      'POST /nc/index.php/login/v2': () => json({ ...started, login: 'https://phish.example/login' }),
    });
    const error = await startLoginFlow(base, { fetchImpl: impl }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InstanceError);
    expect((error as InstanceError).problem).toEqual({
      code: 'login-other-site',
      server: 'https://cloud.example.com',
      site: 'https://phish.example',
    });
  });

  it.each([
    ['no poll token', { login: started.login, poll: { endpoint: started.poll.endpoint } }],
    ['no login URL', { poll: started.poll }],
    ['a broken login URL', { ...started, login: 'http://[' }],
  ])('refuses a start answer with %s', async (_what, body) => {
    const { impl } = fakeFetch({ 'POST /nc/index.php/login/v2': () => json(body) });
    await expect(startLoginFlow(base, { fetchImpl: impl })).rejects.toMatchObject({
      problem: { code: 'login-bad-answer', server: 'https://cloud.example.com' },
    });
  });

  it('polls until the user grants access, then returns the app password once', async () => {
    let polls = 0;
    const { impl, requests } = fakeFetch({
      'POST /nc/login/v2/poll': () =>
        ++polls < 3
          ? new Response('', { status: 404 })
          : json({ server: base, loginName: 'bob', appPassword: 'app-pw' }),
    });
    const flow = { loginUrl: started.login, pollEndpoint: started.poll.endpoint, pollToken: 'poll-token' };
    const result = await waitForLogin(flow, { fetchImpl: impl, sleep: async () => {} });
    expect(result).toEqual({ server: base, loginName: 'bob', appPassword: 'app-pw' });
    expect(polls).toBe(3);
    expect(new URLSearchParams(requests[0]!.body).get('token')).toBe('poll-token');
  });

  it('gives up after the flow lifetime, and on a finished answer without an app password', async () => {
    const waiting = fakeFetch({ 'POST /nc/login/v2/poll': () => new Response('', { status: 404 }) });
    const flow = { loginUrl: started.login, pollEndpoint: started.poll.endpoint, pollToken: 't' };
    await expect(waitForLogin(flow, { fetchImpl: waiting.impl, timeoutMs: 0 })).rejects.toMatchObject({
      problem: { code: 'login-timeout' },
    });

    const empty = fakeFetch({ 'POST /nc/login/v2/poll': () => json({ server: base, loginName: 'bob' }) });
    await expect(pollLoginFlow(flow, { fetchImpl: empty.impl })).rejects.toMatchObject({
      problem: { code: 'login-bad-answer', server: 'https://cloud.example.com' },
    });
  });
});

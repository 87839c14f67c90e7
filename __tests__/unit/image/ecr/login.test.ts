import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { getEcrLogin } from '../../../../src/image/ecr/login.js';

// Every line written to the log is recorded in order, so the test can prove masking came before any other.
const events: string[] = [];
const masked = (secret: string): string => `::add-mask::${secret}`;

const PASSWORD = 'eyJwYXlsb2FkIjoiZmFrZSJ9.c2VjcmV0LXBhc3N3b3Jk';
const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const ecrMock = mockClient(ECRClient);
const ecr = new ECRClient({ region: 'eu-west-1' });

beforeEach(() => {
  events.length = 0;
  ecrMock.reset();
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    events.push(
      ...String(chunk)
        .split('\n')
        .filter((line) => line !== ''),
    );
    return true;
  });
});
afterEach(() => {
  jest.restoreAllMocks();
});

describe('getEcrLogin', () => {
  it('decodes the token and masks token and password before returning', async () => {
    const expiresAt = new Date('2026-11-22T15:00:00Z');
    ecrMock.on(GetAuthorizationTokenCommand).resolves({
      authorizationData: [
        {
          authorizationToken: b64(`AWS:${PASSWORD}`),
          proxyEndpoint: 'https://123456789012.dkr.ecr.eu-west-1.amazonaws.com',
          expiresAt,
        },
      ],
    });
    const login = await getEcrLogin(ecr);
    expect(login).toEqual({
      registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
      username: 'AWS',
      password: PASSWORD,
      expiresAt,
    });
    expect(events).toEqual([masked(b64(`AWS:${PASSWORD}`)), masked(PASSWORD)]);
  });

  it('keeps a password that itself contains ":"', async () => {
    ecrMock.on(GetAuthorizationTokenCommand).resolves({
      authorizationData: [{ authorizationToken: b64('AWS:pa:ss'), proxyEndpoint: 'http://127.0.0.1:5000' }],
    });
    const login = await getEcrLogin(ecr);
    expect(login.password).toBe('pa:ss');
    expect(login.registry).toBe('127.0.0.1:5000');
    expect(login.expiresAt).toBeUndefined();
    expect(events).toContain(masked('pa:ss'));
  });

  it.each([
    ['no authorization data', {}, /returned no authorization data/],
    [
      'no proxy endpoint',
      { authorizationData: [{ authorizationToken: b64('AWS:pw') }] },
      /no authorization data/,
    ],
    [
      'a token without a password',
      { authorizationData: [{ authorizationToken: b64('AWS'), proxyEndpoint: 'https://r.example' }] },
      /not "user:password"/,
    ],
  ])('fails on %s without printing the token', async (_case, response, message) => {
    ecrMock.on(GetAuthorizationTokenCommand).resolves(response);
    await expect(getEcrLogin(ecr)).rejects.toThrow(message);
    expect(events.filter((e) => !e.startsWith('::add-mask::'))).toEqual([]);
  });

  it('masks the token even when it cannot be decoded into a login', async () => {
    ecrMock.on(GetAuthorizationTokenCommand).resolves({
      authorizationData: [{ authorizationToken: b64('no-colon-here'), proxyEndpoint: 'https://r.example' }],
    });
    await expect(getEcrLogin(ecr)).rejects.toThrow();
    expect(events).toEqual([masked(b64('no-colon-here'))]);
  });
});

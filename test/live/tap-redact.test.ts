import {describe, expect, it} from 'vitest';
import {isSecretName, redactEvent, redactPath} from '../../src/views/tap-redact.js';
import {makeEvent} from './events.js';

describe('redaction of secrets', () => {
  it.each([
    'authorization',
    'Authorization',
    'proxy-authorization',
    'cookie',
    'Set-Cookie',
    'x-api-key',
    'x-auth-token',
    'x-amz-security-token',
    'x-client-secret',
    'x-db-password',
    'x-session-id',
    'x-goog-iap-jwt-assertion',
    'access_token',
  ])('treats %s as secret', (name) => {
    expect(isSecretName(name)).toBe(true);
  });

  it.each([':authority', ':path', 'content-type', 'x-request-id', 'user-agent', 'x-envoy-upstream-service-time', 'grpc-status'])(
    'leaves %s alone',
    (name) => {
      expect(isSecretName(name)).toBe(false);
    },
  );

  it('redacts secret query parameters but keeps the rest of the path', () => {
    expect(redactPath('/cb?code=abc&access_token=s3cr3t&state=x')).toBe('/cb?code=abc&access_token=[redacted]&state=x');
    expect(redactPath('/a?api%5Fkey=k')).toBe('/a?api%5Fkey=[redacted]');
    expect(redactPath('/plain')).toBe('/plain');
    expect(redactPath('/q?flag&password=')).toBe('/q?flag&password=[redacted]');
  });

  it('redacts headers, trailers and the path of an event unless secrets are shown, leaving the input as it was', () => {
    const event = makeEvent({
      path: '/login?password=hunter2',
      requestHeaders: [
        [':authority', 'web'],
        ['authorization', 'Bearer abc'],
        ['cookie', 'sid=1'],
      ],
      responseHeaders: [['set-cookie', 'sid=2']],
      responseTrailers: [['x-session-token', 't']],
    });
    const shown = redactEvent(event, false);
    expect(shown.path).toBe('/login?password=[redacted]');
    expect(shown.requestHeaders).toEqual([
      [':authority', 'web'],
      ['authorization', '[redacted]'],
      ['cookie', '[redacted]'],
    ]);
    expect(shown.responseHeaders).toEqual([['set-cookie', '[redacted]']]);
    expect(shown.responseTrailers).toEqual([['x-session-token', '[redacted]']]);
    expect(event.requestHeaders[1]).toEqual(['authorization', 'Bearer abc']);
    expect(redactEvent(event, true)).toBe(event);
  });
});

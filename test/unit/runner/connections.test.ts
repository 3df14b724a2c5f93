/** Connection strings, .env files and redaction: pure functions, no database. */
import { describe, expect, it } from 'vitest';
import { parseDotenv } from '../../../server/src/db/dotenv';
import { explainConnectError } from '../../../server/src/db/errors';
import { redact } from '../../../server/src/db/redact';
import { describeServer, parsePostgresUrl } from '../../../server/src/db/url';

describe('parsePostgresUrl', () => {
  it('reads the parts with libpq defaults', () => {
    expect(
      parsePostgresUrl(
        'postgres://app:p%40ss@db.example:6432/shop?sslmode=verify-full&connect_timeout=3',
        {},
      ),
    ).toEqual({
      host: 'db.example',
      port: 6432,
      database: 'shop',
      user: 'app',
      password: 'p@ss',
      sslmode: 'verify-full',
      sslrootcert: undefined,
      connectTimeout: 3,
      options: undefined,
    });
    const bare = parsePostgresUrl('postgresql://localhost', { USER: 'me' });
    expect(bare).toMatchObject({
      host: 'localhost',
      port: 5432,
      user: 'me',
      database: 'me',
      sslmode: 'prefer',
    });
    expect(parsePostgresUrl('postgres:///db?host=/var/run/postgresql', {})).toMatchObject({
      host: '/var/run/postgresql',
      database: 'db',
    });
    expect(parsePostgresUrl('postgres://u@[::1]:5433/d', {})).toMatchObject({
      host: '::1',
      port: 5433,
    });
    expect(describeServer(parsePostgresUrl('postgres://u@[::1]:5433/d', {}))).toBe(
      'u@[::1]:5433/d',
    );
  });

  it('refuses what it cannot read, without quoting the URL', () => {
    expect(() => parsePostgresUrl('mysql://u:secret@h/d')).toThrow(
      /must be a postgres:\/\/ or postgresql:\/\/ URL/,
    );
    expect(() => parsePostgresUrl('postgres://u:secret@h/d?sslmode=sometimes')).toThrow(
      "sslmode must be one of disable, allow, prefer, require, verify-ca, verify-full (got 'sometimes')",
    );
    expect(() => parsePostgresUrl('postgres://u:secret@h:99999/d')).toThrow(
      'the connection URL cannot be parsed',
    );
    expect(() => parsePostgresUrl('postgres://u@h/d?port=0')).toThrow(
      "the port '0' is not a valid TCP port",
    );
    for (const bad of ['mysql://u:secret@h/d', 'postgres://u:secret@h:99999/d'])
      try {
        parsePostgresUrl(bad);
      } catch (e) {
        expect((e as Error).message).not.toContain('secret');
      }
  });
});

describe('parseDotenv', () => {
  it('reads KEY=value lines as dotenv tools do', () => {
    expect(
      parseDotenv(
        '# comment\nexport DATABASE_URL="postgres://a@b/c"\nA=plain # trailing\nB=\'single # kept\'\nC="two\\nlines"\nnot a line\n',
      ),
    ).toEqual({
      DATABASE_URL: 'postgres://a@b/c',
      A: 'plain',
      B: 'single # kept',
      C: 'two\nlines',
    });
  });
});

describe('redact', () => {
  it('hides URL passwords, password= pairs and known secrets', () => {
    expect(redact('failed for postgres://u:hunter2@h/d and host=h password=hunter2 user=u')).toBe(
      'failed for postgres://u:***@h/d and host=h password=*** user=u',
    );
    expect(redact('echo pa ss/word and pa%20ss%2Fword', ['pa ss/word'])).toBe('echo *** and ***');
  });
});

describe('explainConnectError', () => {
  const p = {
    host: 'db',
    port: 5432,
    database: 'app',
    user: 'u',
    password: 'pw-123',
    sslmode: 'prefer' as const,
  };
  it.each([
    [{ code: '28P01', message: 'password authentication failed for user "u"' }, 'auth'],
    [
      { message: 'SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string' },
      'no-password',
    ],
    [
      {
        code: '28000',
        message: 'no pg_hba.conf entry for host "1.2.3.4", user "u", database "app", no encryption',
      },
      'tls',
    ],
    [{ code: '3D000', message: 'database "app" does not exist' }, 'missing-database'],
    [{ code: '42501', message: 'permission denied for database app' }, 'privileges'],
    [{ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }, 'unreachable'],
    [{ code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND db' }, 'unreachable'],
    [{ message: 'Connection terminated due to connection timeout' }, 'timeout'],
    [{ code: 'DEPTH_ZERO_SELF_SIGNED_CERT', message: 'self-signed certificate' }, 'tls'],
    [{ message: 'The server does not support SSL connections' }, 'tls'],
  ])('%o → %s, never with the password', (err, kind) => {
    const e = explainConnectError(
      { ...err, message: `${err.message} (pw-123)` },
      p,
      'u@db:5432/app',
      [],
    );
    expect(e.kind).toBe(kind);
    expect(e.message).not.toContain('pw-123');
  });
});

import { describe, expect, it } from 'vitest';
import {
  describeNamed,
  parseConnections,
  splitPassword,
} from '../../../client/src/connections/connectionSettings';

describe('pgmig.connections', () => {
  it('keeps well-formed entries with only the known keys', () => {
    const { connections, problems } = parseConnections([
      { name: 'local', url: 'postgres://app@localhost:5432/app' },
      {
        name: 'prod',
        host: 'db.example.com',
        port: 6432,
        database: 'app',
        user: 'deploy',
        sslmode: 'verify-full',
        protected: true,
        comment: 'not a connection field',
      },
    ]);
    expect(problems).toEqual([]);
    expect(connections).toEqual([
      { name: 'local', url: 'postgres://app@localhost:5432/app' },
      {
        name: 'prod',
        host: 'db.example.com',
        port: 6432,
        database: 'app',
        user: 'deploy',
        sslmode: 'verify-full',
        protected: true,
      },
    ]);
  });

  it('drops each bad entry with a reason and keeps the others', () => {
    const { connections, problems } = parseConnections([
      { url: 'postgres://a@h/db' },
      { name: 'pw', url: 'postgres://a:hunter2@h/db' },
      { name: 'pw2', host: 'h', database: 'db', password: 'hunter2' },
      { name: 'port', host: 'h', port: '5432' },
      { name: 'ssl', host: 'h', sslmode: 'on' },
      { name: 'empty' },
      { name: 'ok', database: 'app' },
      { name: 'ok', database: 'other' },
      'postgres://h/db',
    ]);
    expect(connections.map((c) => c.name)).toEqual(['ok']);
    expect(problems).toEqual([
      'pgmig.connections[0]: needs a name',
      'pgmig.connections[1]: its url has a password: remove it; pgmig asks for it and keeps it in secret storage',
      'pgmig.connections[2]: has a password: remove it; pgmig asks for it and keeps it in secret storage',
      'pgmig.connections[3]: port must be a positive integer',
      'pgmig.connections[4]: sslmode must be one of disable, allow, prefer, require, verify-ca, verify-full',
      'pgmig.connections[5]: needs a url, or a host and database',
      'pgmig.connections[7]: a second connection named "ok"',
      'pgmig.connections[8]: not an object',
    ]);
    // never the password itself in a problem
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it('an absent setting is no connections; a non-list is one problem', () => {
    expect(parseConnections(undefined)).toEqual({ connections: [], problems: [] });
    expect(parseConnections({ name: 'x' }).problems).toEqual(['pgmig.connections is not a list']);
  });

  it('describes a connection without its password', () => {
    expect(describeNamed({ name: 'a', url: 'postgres://app@db:6432/sales?sslmode=require' })).toBe(
      'app@db:6432/sales',
    );
    expect(describeNamed({ name: 'b', host: 'db', database: 'app', user: 'u' })).toBe('u@db/app');
    expect(describeNamed({ name: 'c', url: 'postgres://x:secret@db/app' })).toBe('x@db/app');
    expect(describeNamed({ name: 'd', url: '::not a url' })).toBe('an unreadable URL');
  });

  it('splits a password typed into a URL off, for secret storage', () => {
    expect(
      splitPassword('postgres://app:s3cr%40t@db.example.com:5432/app?sslmode=require'),
    ).toEqual({
      url: 'postgres://app@db.example.com:5432/app?sslmode=require',
      password: 's3cr@t',
    });
    expect(splitPassword('postgres://app@db/app')).toEqual({ url: 'postgres://app@db/app' });
  });
});

import { describe, expect, it } from 'vitest';
import { redact } from '../../../server/src/db/redact';

describe('redact', () => {
  it('masks the password of connection URLs and keeps the rest readable', () => {
    expect(redact('connect postgres://app:s3cr%40t@db.internal:5432/app failed')).toBe(
      'connect postgres://app:***@db.internal:5432/app failed',
    );
    expect(redact('postgres://app:p@ss/w0rd@db:5432/app')).toBe('postgres://app:***@db:5432/app');
    expect(redact('postgresql://u:p@h/db and mysql://x:y@z')).toBe(
      'postgresql://u:***@h/db and mysql://x:***@z',
    );
  });

  it('masks password= in keyword/value connection strings, quoted or not', () => {
    expect(redact('host=db user=app password=hunter2 dbname=app')).toBe(
      'host=db user=app password=*** dbname=app',
    );
    expect(redact("password = 'it\\'s secret' sslmode=require")).toBe(
      'password = *** sslmode=require',
    );
    expect(redact("password='it''s secret' sslmode=require")).toBe('password=*** sslmode=require');
  });

  it('leaves URLs without a password and ordinary text alone', () => {
    const text = 'postgres://app@db/app, https://github.com/pgmig/pgmig, user:name in a message';
    expect(redact(text)).toBe(text);
  });
});

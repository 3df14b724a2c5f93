import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, lintDir, lintText, only, writeFolder } from '../helpers/lint';

const RULE = 'ban-drop-foreign-key';
const hits = (sql: string) => only(lintText(sql), RULE);

const BASE = `-- UP
CREATE TABLE users (id bigint PRIMARY KEY);
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id), code text);
ALTER TABLE orders ADD CONSTRAINT code_check CHECK (code <> '');
-- DOWN
DROP TABLE orders;
DROP TABLE users;
`;

function lintSecond(up: string, down = '') {
  const root = writeFolder({
    '001_base.sql': BASE,
    '002_change.sql': `-- UP\n${up}\n-- DOWN\n${down}\n`,
  });
  return only(lintDir(root).violations, RULE);
}

beforeAll(() => initParser());

describe(RULE, () => {
  it('flags dropping a foreign key the schema model knows, naming what it pointed at', () => {
    const [v] = lintSecond('ALTER TABLE orders DROP CONSTRAINT orders_user_id_fkey;');
    expect(v.severity).toBe('warning');
    expect(v.message).toBe(
      'Dropping foreign key orders_user_id_fkey to users on orders ends referential integrity: from now on rows can point at missing parents, and its ON DELETE action stops.',
    );
  });

  it('leaves other constraints alone, and constraints the model knows do not exist', () => {
    expect(lintSecond('ALTER TABLE orders DROP CONSTRAINT code_check;')).toHaveLength(0);
    expect(
      lintSecond('ALTER TABLE orders DROP CONSTRAINT IF EXISTS orders_other_fkey;'),
    ).toHaveLength(0);
  });

  it('judges by the name when the model does not know the table', () => {
    const [v] = hits('ALTER TABLE payments DROP CONSTRAINT payments_account_id_fkey;');
    expect(v.message).toContain('(a foreign key by its name; the schema model does not know it)');
    expect(hits('ALTER TABLE payments DROP CONSTRAINT fk_account;')).toHaveLength(1);
    expect(hits('ALTER TABLE payments DROP CONSTRAINT payments_amount_check;')).toHaveLength(0);
  });

  it('exempts re-adding the foreign key, dropping the table, and a DOWN undoing its UP', () => {
    expect(
      lintSecond(
        'ALTER TABLE orders DROP CONSTRAINT orders_user_id_fkey;\nALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE NOT VALID;',
      ),
    ).toHaveLength(0);
    expect(
      lintSecond('ALTER TABLE orders DROP CONSTRAINT orders_user_id_fkey;\nDROP TABLE orders;'),
    ).toHaveLength(0);
    expect(
      lintSecond(
        'ALTER TABLE orders DROP CONSTRAINT orders_user_id_fkey, ADD CONSTRAINT orders_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE;',
      ),
    ).toHaveLength(0);
    // the parent table or the column goes too (Prisma writes it this way)
    expect(
      lintSecond('ALTER TABLE orders DROP CONSTRAINT orders_user_id_fkey;\nDROP TABLE users;'),
    ).toHaveLength(0);
    expect(
      lintSecond(
        'ALTER TABLE orders DROP CONSTRAINT orders_user_id_fkey;\nALTER TABLE orders DROP COLUMN user_id;',
      ),
    ).toHaveLength(0);
    expect(
      lintSecond(
        'ALTER TABLE orders ADD CONSTRAINT o_fk FOREIGN KEY (code) REFERENCES users (id) NOT VALID;',
        'ALTER TABLE orders DROP CONSTRAINT o_fk;',
      ),
    ).toHaveLength(0);
    expect(
      hits('CREATE TABLE t (a int REFERENCES u);\nALTER TABLE t DROP CONSTRAINT t_a_fkey;'),
    ).toHaveLength(0);
  });
});

CREATE INDEX CONCURRENTLY accounts_owner_idx ON accounts (owner);
ALTER TABLE accounts ADD COLUMN currency text NOT NULL;

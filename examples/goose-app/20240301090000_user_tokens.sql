-- +goose Up
ALTER TABLE users ADD COLUMN api_token uuid DEFAULT gen_random_uuid();
ALTER TABLE users ALTER COLUMN name SET NOT NULL;
ALTER TABLE users ALTER COLUMN email TYPE text;
ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,4);

-- +goose Down
ALTER TABLE orders ALTER COLUMN total TYPE numeric(10,2);
ALTER TABLE users ALTER COLUMN email TYPE varchar(255);
ALTER TABLE users ALTER COLUMN name DROP NOT NULL;
ALTER TABLE users DROP COLUMN api_token;

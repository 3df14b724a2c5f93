-- +goose Up
-- orders already holds millions of rows in production
ALTER TABLE orders ADD CONSTRAINT orders_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id);
CREATE INDEX orders_user_id_idx ON orders (user_id);

-- +goose Down
DROP INDEX orders_user_id_idx;
ALTER TABLE orders DROP CONSTRAINT orders_user_id_fkey;

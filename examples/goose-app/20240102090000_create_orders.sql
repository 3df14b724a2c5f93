-- +goose Up
CREATE TABLE orders (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id bigint,
    total numeric(10,2) NOT NULL DEFAULT 0
);

-- +goose Down
DROP TABLE orders;

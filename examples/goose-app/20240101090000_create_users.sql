-- +goose Up
CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email varchar(255) NOT NULL,
    name text
);
CREATE INDEX users_email_idx ON users (email);

-- +goose Down
DROP TABLE users;

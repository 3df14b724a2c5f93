-- SYNTAX TEST "source.sql" "migration section markers are headings, matched before the SQL line-comment rule"

-- Plain -- UP / -- DOWN (optional ':' and 'no-transaction'), any case, may be indented.
-- UP
-- <-- source.sql comment.line.double-dash.sql markup.heading.migration-marker.pgmig punctuation.definition.comment.sql
-- ^^ source.sql comment.line.double-dash.sql markup.heading.migration-marker.pgmig keyword.control.directive.pgmig
CREATE TABLE widgets (id bigint);
-- <------ source.sql keyword.other.sql - comment.line.double-dash.sql
-- DOWN:
-- ^^^^ markup.heading.migration-marker.pgmig keyword.control.directive.pgmig
--     ^ markup.heading.migration-marker.pgmig punctuation.separator.pgmig
-- down
-- ^^^^ markup.heading.migration-marker.pgmig keyword.control.directive.pgmig
--UP: no-transaction
-- <-- markup.heading.migration-marker.pgmig punctuation.definition.comment.sql
--^^ markup.heading.migration-marker.pgmig keyword.control.directive.pgmig
--    ^^^^^^^^^^^^^^ markup.heading.migration-marker.pgmig variable.parameter.option.pgmig
    -- Up
-- <--- source.sql punctuation.whitespace.comment.leading.sql - markup.heading.migration-marker.pgmig
--  ^^ comment.line.double-dash.sql markup.heading.migration-marker.pgmig punctuation.definition.comment.sql
--     ^^ markup.heading.migration-marker.pgmig keyword.control.directive.pgmig

-- goose
-- +goose Up
-- <-- comment.line.double-dash.sql markup.heading.migration-marker.pgmig punctuation.definition.comment.sql
-- ^^^^^^ markup.heading.migration-marker.pgmig keyword.other.runner.pgmig
--        ^^ markup.heading.migration-marker.pgmig keyword.control.directive.pgmig
-- +goose Down
--        ^^^^ markup.heading.migration-marker.pgmig keyword.control.directive.pgmig
-- +goose StatementBegin
--        ^^^^^^^^^^^^^^ markup.heading.migration-marker.pgmig keyword.control.directive.pgmig
-- +goose StatementEnd
--        ^^^^^^^^^^^^ markup.heading.migration-marker.pgmig keyword.control.directive.pgmig
-- +goose NO TRANSACTION
-- ^^^^^^ markup.heading.migration-marker.pgmig keyword.other.runner.pgmig
--        ^^^^^^^^^^^^^^ markup.heading.migration-marker.pgmig variable.parameter.option.pgmig
-- +goose ENVSUB ON
--        ^^^^^^^^^ markup.heading.migration-marker.pgmig variable.parameter.option.pgmig
-- +goose ENVSUB OFF
--        ^^^^^^^^^^ markup.heading.migration-marker.pgmig variable.parameter.option.pgmig
	-- +goose up
--         ^^ markup.heading.migration-marker.pgmig keyword.control.directive.pgmig

-- dbmate
-- migrate:up
-- <-- comment.line.double-dash.sql markup.heading.migration-marker.pgmig punctuation.definition.comment.sql
-- ^^^^^^^ markup.heading.migration-marker.pgmig keyword.other.runner.pgmig
--        ^ markup.heading.migration-marker.pgmig punctuation.separator.pgmig
--         ^^ markup.heading.migration-marker.pgmig keyword.control.directive.pgmig
-- migrate:down transaction:false
--         ^^^^ markup.heading.migration-marker.pgmig keyword.control.directive.pgmig
--              ^^^^^^^^^^^^^^^^^ markup.heading.migration-marker.pgmig variable.parameter.option.pgmig

-- node-pg-migrate
-- Up Migration
-- <-- comment.line.double-dash.sql markup.heading.migration-marker.pgmig punctuation.definition.comment.sql
-- ^^^^^^^^^^^^ markup.heading.migration-marker.pgmig keyword.control.directive.pgmig
-- Down Migration
-- ^^^^^^^^^^^^^^ markup.heading.migration-marker.pgmig keyword.control.directive.pgmig
---- up migration (node-pg-migrate reads more dashes and trailing words too)
-- <---- comment.line.double-dash.sql markup.heading.migration-marker.pgmig
--   ^^^^^^^^^^^^ markup.heading.migration-marker.pgmig keyword.control.directive.pgmig
--                ^^^^^^^^^^^^^^^^ comment.line.double-dash.sql markup.heading.migration-marker.pgmig - keyword.control.directive.pgmig

-- sql-migrate
-- +migrate Up
-- ^^^^^^^^ markup.heading.migration-marker.pgmig keyword.other.runner.pgmig
--          ^^ markup.heading.migration-marker.pgmig keyword.control.directive.pgmig
-- +migrate Down notransaction
--          ^^^^ markup.heading.migration-marker.pgmig keyword.control.directive.pgmig
--               ^^^^^^^^^^^^^ markup.heading.migration-marker.pgmig variable.parameter.option.pgmig
-- +migrate StatementBegin
--          ^^^^^^^^^^^^^^ markup.heading.migration-marker.pgmig keyword.control.directive.pgmig
-- +migrate StatementEnd
--          ^^^^^^^^^^^^ markup.heading.migration-marker.pgmig keyword.control.directive.pgmig

-- Drizzle, on its own line or trailing a statement
--> statement-breakpoint
-- <-- comment.line.double-dash.sql markup.heading.migration-marker.pgmig punctuation.definition.comment.sql
--^ markup.heading.migration-marker.pgmig punctuation.definition.marker.pgmig
--  ^^^^^^^^^^^^^^^^^^^^ markup.heading.migration-marker.pgmig keyword.control.directive.pgmig
CREATE INDEX widgets_id ON widgets (id);--> statement-breakpoint
-- <------ source.sql keyword.other.sql - markup.heading.migration-marker.pgmig
--           ^^^^^^^ source.sql - comment.line.double-dash.sql
--                                      ^^ comment.line.double-dash.sql markup.heading.migration-marker.pgmig punctuation.definition.comment.sql
--                                          ^^^^^^^^^^^^^^^^^^^^ markup.heading.migration-marker.pgmig keyword.control.directive.pgmig
SELECT 1;
-- <------ source.sql keyword.other.DML.sql - comment.line.double-dash.sql

-- SYNTAX TEST "source.sql" "look-alikes, and markers inside block comments, line comments or strings, stay plain SQL"

-- upgrade the widgets
-- <-- source.sql comment.line.double-dash.sql punctuation.definition.comment.sql - markup.heading.migration-marker.pgmig
-- ^^^^^^^ comment.line.double-dash.sql - keyword.control.directive.pgmig
-- UP the ante
-- ^^ comment.line.double-dash.sql - markup.heading.migration-marker.pgmig
-- +goose Upgrade
--        ^^^^^^^ comment.line.double-dash.sql - markup.heading.migration-marker.pgmig
-- +goose TRANSACTION
--        ^^^^^^^^^^^ comment.line.double-dash.sql - markup.heading.migration-marker.pgmig
-- migrate:upgrade
-- ^^^^^^^ comment.line.double-dash.sql - keyword.other.runner.pgmig
-- Upward Migration
-- ^^^^^^^^^^^^^^^^ comment.line.double-dash.sql - markup.heading.migration-marker.pgmig
-- +migrate Sideways
-- ^^^^^^^^ comment.line.double-dash.sql - keyword.other.runner.pgmig
-- pgmig-ignored on purpose
-- ^^^^^^^^^^^^^ comment.line.double-dash.sql - keyword.control.directive.pgmig
-- PGMIG-IGNORE ban-drop-column
-- ^^^^^^^^^^^^ comment.line.double-dash.sql - meta.directive.ignore.pgmig
-- > statement-breakpoint
--   ^^^^^^^^^^^^^^^^^^^^ comment.line.double-dash.sql - keyword.control.directive.pgmig

-- Marker-like text later in a line comment is part of that comment.
-- see -- UP and -- pgmig-ignore ban-drop-column
--        ^^ comment.line.double-dash.sql - markup.heading.migration-marker.pgmig
--                  ^^^^^^^^^^^^ comment.line.double-dash.sql - meta.directive.ignore.pgmig
--                               ^^^^^^^^^^^^^^^ comment.line.double-dash.sql - entity.name.tag.rule-id.pgmig

/*
-- +goose Up
-- ^^^^^^ source.sql comment.block - markup.heading.migration-marker.pgmig
-- pgmig-ignore ban-drop-column
-- ^^^^^^^^^^^^ comment.block - meta.directive.ignore.pgmig
*/

SELECT '
-- migrate:up
-- ^^^^^^^ source.sql string.quoted.single.sql - markup.heading.migration-marker.pgmig
--> statement-breakpoint
--  ^^^^^^^^^^^^^^^^^^^^ string.quoted.single.sql - markup.heading.migration-marker.pgmig
';

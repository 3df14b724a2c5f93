-- SYNTAX TEST "source.sql" "pgmig and squawk suppression comments"

-- pgmig-ignore require-concurrent-index
-- <-- source.sql comment.line.double-dash.sql meta.directive.ignore.pgmig punctuation.definition.comment.sql
-- ^^^^^^^^^^^^ comment.line.double-dash.sql meta.directive.ignore.pgmig keyword.control.directive.pgmig
--              ^^^^^^^^^^^^^^^^^^^^^^^^ comment.line.double-dash.sql meta.directive.ignore.pgmig entity.name.tag.rule-id.pgmig
CREATE INDEX widgets_name ON widgets (name);
-- <------ source.sql keyword.other.sql - comment.line.double-dash.sql

-- Several rules (commas or spaces), then a reason; a ':' ends the rule list.
-- pgmig-ignore ban-drop-column, require-timeout lock-timeout: the table is empty
--              ^^^^^^^^^^^^^^^ meta.directive.ignore.pgmig entity.name.tag.rule-id.pgmig
--                             ^ meta.directive.ignore.pgmig punctuation.separator.comma.pgmig
--                               ^^^^^^^^^^^^^^^ meta.directive.ignore.pgmig entity.name.tag.rule-id.pgmig
--                                               ^^^^^^^^^^^^ meta.directive.ignore.pgmig entity.name.tag.rule-id.pgmig
--                                                           ^ meta.directive.ignore.pgmig punctuation.separator.colon.pgmig
--                                                             ^^^^^^^^^^^^^^^^^^ comment.line.double-dash.sql meta.directive.ignore.pgmig meta.reason.pgmig - entity.name.tag.rule-id.pgmig

-- The reason starts at the first word that is not a rule id, even if a later word looks like one.
-- pgmig-ignore ban-drop-column because front-end is gone
--              ^^^^^^^^^^^^^^^ entity.name.tag.rule-id.pgmig
--                              ^^^^^^^^^^^^^^^^^^^^^^^^^ meta.directive.ignore.pgmig meta.reason.pgmig - entity.name.tag.rule-id.pgmig

-- Without rule ids: everything is suppressed, the rest is the reason.
-- pgmig-ignore Reviewed by the DBA
-- ^^^^^^^^^^^^ meta.directive.ignore.pgmig keyword.control.directive.pgmig
--              ^^^^^^^^^^^^^^^^^^^ meta.directive.ignore.pgmig meta.reason.pgmig - entity.name.tag.rule-id.pgmig

-- pgmig-ignore-file ban-drop-table
-- ^^^^^^^^^^^^^^^^^ meta.directive.ignore.pgmig keyword.control.directive.pgmig
--                   ^^^^^^^^^^^^^^ meta.directive.ignore.pgmig entity.name.tag.rule-id.pgmig
-- pgmig-ignore-file
-- ^^^^^^^^^^^^^^^^^ comment.line.double-dash.sql meta.directive.ignore.pgmig keyword.control.directive.pgmig

-- squawk-ignore ban-drop-column
-- ^^^^^^^^^^^^^ meta.directive.ignore.pgmig keyword.control.directive.pgmig
--               ^^^^^^^^^^^^^^^ meta.directive.ignore.pgmig entity.name.tag.rule-id.pgmig
-- squawk-ignore-file prefer-robust-stmts,prefer-bigint-over-int
-- ^^^^^^^^^^^^^^^^^^ meta.directive.ignore.pgmig keyword.control.directive.pgmig
--                    ^^^^^^^^^^^^^^^^^^^ entity.name.tag.rule-id.pgmig
--                                       ^ punctuation.separator.comma.pgmig
--                                        ^^^^^^^^^^^^^^^^^^^^^^ entity.name.tag.rule-id.pgmig

-- Trailing a statement, and indented (inside the SQL grammar's leading-whitespace wrapper).
ALTER TABLE widgets DROP COLUMN legacy; -- pgmig-ignore ban-drop-column
-- <----- source.sql keyword.other.sql - comment.line.double-dash.sql
--                                      ^^ comment.line.double-dash.sql meta.directive.ignore.pgmig punctuation.definition.comment.sql
--                                                      ^^^^^^^^^^^^^^^ meta.directive.ignore.pgmig entity.name.tag.rule-id.pgmig
    -- squawk-ignore ban-drop-column
-- <--- punctuation.whitespace.comment.leading.sql - meta.directive.ignore.pgmig
--  ^^ comment.line.double-dash.sql meta.directive.ignore.pgmig punctuation.definition.comment.sql
--                   ^^^^^^^^^^^^^^^ meta.directive.ignore.pgmig entity.name.tag.rule-id.pgmig

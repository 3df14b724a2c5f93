/**
 * The one list of `pgmig` commands. Each command lives in its own file under cli/ and is added
 * here; `main.ts` dispatches and prints the usage from this list.
 */
import { version } from '../../../package.json';
import type { Io } from './io';
import { lintCommand } from './lint';
import { lspCommand } from './lsp';
import { downCommand } from './down';
import { newCommand } from './new';
import { redoCommand } from './redo';
import { resolveCommand } from './resolve';
import { statusCommand } from './status';
import { upCommand } from './up';
import { traceCommand } from './trace';
import { verifyCommand } from './verify';
import { downGenCommand } from './down-gen';

export interface Command {
  name: string;
  /** Shown in `pgmig --help`, e.g. `lint [paths…|-]`. */
  synopsis: string;
  summary: string;
  /** Returns the exit code: 0 ok, 1 findings/failure, 2 usage or I/O error. */
  run(args: string[], io: Io): Promise<number>;
}

export const COMMANDS: Command[] = [
  {
    name: 'lint',
    synopsis: 'lint [paths…|-]',
    summary: 'lint migration folders, files, or SQL on stdin',
    run: (args, io) => lintCommand(args, io, version),
  },
  {
    name: 'lsp',
    synopsis: 'lsp [--stdio]',
    summary: 'run the language server on stdin/stdout (diagnostics, fixes, hovers)',
    run: lspCommand,
  },
  {
    name: 'up',
    synopsis: 'up [folder|file]',
    summary: 'apply pending migrations (all, --to a version, or up to a file)',
    run: upCommand,
  },
  {
    name: 'down',
    synopsis: 'down [folder|file]',
    summary: 'roll back the last migration (-n N, --to a version)',
    run: downCommand,
  },
  {
    name: 'redo',
    synopsis: 'redo [folder]',
    summary: 'roll back the last migration and apply it again',
    run: redoCommand,
  },
  {
    name: 'status',
    synopsis: 'status [folder]',
    summary: 'list migrations: applied, pending, failed, changed, missing file',
    run: statusCommand,
  },
  {
    name: 'new',
    synopsis: 'new <name> [folder]',
    summary: "create the next migration in the folder's own format",
    run: newCommand,
  },
  {
    name: 'resolve',
    synopsis: 'resolve <version> [folder]',
    summary: 'unblock after a failed migration: --retry, --applied, --not-applied',
    run: resolveCommand,
  },
  {
    name: 'trace',
    synopsis: 'trace <file|folder>',
    summary: 'measure the locks, rewrites and scans of each statement on a scratch database',
    run: traceCommand,
  },
  {
    name: 'verify',
    synopsis: 'verify <file|folder>',
    summary: 'check on a scratch database that each DOWN restores the schema its UP changed',
    run: verifyCommand,
  },
  {
    name: 'down-gen',
    synopsis: 'down-gen <file>',
    summary: 'generate the DOWN that undoes a migration (prints it, or --write)',
    run: downGenCommand,
  },
];

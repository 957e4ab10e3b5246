/**
 * Where a command's warnings go. Without --json, a line each on stderr, at once. With --json,
 * stderr holds JSON only: warnings are held back until the command ends and then written as
 * {"warning":{"code","message"}} lines, or folded into the error object if it fails (so that
 * stderr holds one error object a script can read), or written when a long-running command
 * (batch, sandbox) starts; from then on each is written at once.
 */
import type { ChalkInstance } from 'chalk';
import type { CliIo } from './io.js';
import { warningJson, warningLine, type Warning } from './output.js';
import { jsonLine } from '../redact.js';

export interface WarningSink {
  warn: (warning: Warning) => void;
  /** Writes the warnings held so far; later ones are still held. */
  flush: () => void;
  /** The command has ended, or a long-running one has started: held warnings are written, later ones at once. */
  release: () => void;
  /** The command failed: the held warnings, for its error object; later ones are written at once. */
  takeHeld: () => Warning[];
  /** Waits for Node's own warnings still on their way (see below). */
  settle: () => Promise<void>;
}

export function createWarningSink(io: CliIo, json: boolean, colourErr: ChalkInstance): WarningSink {
  const pending: Warning[] = [];
  // Set when the command has ended, or a long-running one has started: a warning is then written at once.
  let done = false;
  const write = (warning: Warning): void => {
    io.stderr.write(`${jsonLine(warningJson(warning))}\n`);
  };
  const flush = (): void => {
    for (const warning of pending.splice(0)) write(warning);
  };
  const warn = (warning: Warning): void => {
    if (json && done) write(warning);
    else if (json) pending.push(warning);
    else io.stderr.write(`${warningLine(colourErr, warning.message)}\n`);
  };
  // Node's own warnings (ExperimentalWarning, DeprecationWarning …, from a user's JS config or
  // NODE_OPTIONS): with --json the bin hands them here instead of letting Node print them.
  if (json) io.nodeWarnings?.((warning) => warn(nodeWarning(warning)));
  return {
    warn,
    flush,
    release: () => {
      flush();
      done = true;
    },
    takeHeld: () => {
      done = true;
      return pending.splice(0);
    },
    // Node emits a process warning a turn or two after it is raised: with --json, one event-loop
    // turn is given to any still on their way, so that they are folded in rather than written after.
    settle: async () => {
      if (json && io.nodeWarnings) await new Promise<void>((resolve) => setImmediate(resolve));
    },
  };
}

/** ExperimentalWarning → NODE_EXPERIMENTAL_WARNING; the message says which. */
function nodeWarning(warning: { name: string; message: string; code?: string | undefined }): Warning {
  const name = /^[A-Za-z]{1,60}$/.test(warning.name) ? warning.name : 'Warning';
  return {
    code: `NODE_${name.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`,
    message: `${name}${warning.code ? ` ${warning.code}` : ''}: ${warning.message}`,
  };
}

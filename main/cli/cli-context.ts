import type { ExitCode } from './exit-codes.js';
import type { CliIo } from './output.js';

/**
 * What every command may touch: its I/O, the environment it reads AWS settings from, and the exit code it sets.
 * Its own module, so a command never imports the command index that registers it.
 */
export interface CliContext {
  io: CliIo;
  env: NodeJS.ProcessEnv;
  exitCode: ExitCode;
}

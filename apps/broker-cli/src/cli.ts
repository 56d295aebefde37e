import { Command, CommanderError } from 'commander';
import { COMMAND_GROUPS } from './commands';
import { CliError, EXIT, toCliError } from './exit-codes';
import type { CliIo } from './io';
import { reportFailure } from './output';

export const VERSION = '0.1.0';

/** Builds the program with every command group; `io` is where output goes. */
export function buildProgram(io: CliIo): Command {
  const program = new Command('sandbox-broker')
    .description(
      'Allocate, inspect and release a Sandbox Broker lab sandbox from an Instruqt script.',
    )
    .version(VERSION)
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text.trimEnd()),
      writeErr: (text) => io.err(text.trimEnd()),
    });
  for (const register of COMMAND_GROUPS) register(program, io);
  // Sub-commands inherit neither exitOverride nor the output: set them on each.
  for (const command of program.commands) {
    command.exitOverride().configureOutput(program.configureOutput());
  }
  return program;
}

/** Runs the CLI and returns its exit code (never calls process.exit). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help / --version end "with an error" whose exitCode is 0; usage errors are bad input.
      return error.exitCode === 0 ? EXIT.OK : EXIT.BAD_INPUT;
    }
    const failure = toCliError(error);
    const command = program.args[0] ?? 'sandbox-broker';
    const json = argv.includes('--json');
    reportFailure(io, json, command, failure);
    return failure instanceof CliError ? failure.exitCode : EXIT.FAILED;
  }
}

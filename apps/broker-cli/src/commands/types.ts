import type { Command } from 'commander';
import type { CliIo } from '../io';

/**
 * A command group adds its commands to the program. Each action returns normally on success and
 * throws a CliError (or a BrokerProblem, mapped by `toCliError`) on failure; `runCli` reports it.
 */
export type CommandGroup = (program: Command, io: CliIo) => void;

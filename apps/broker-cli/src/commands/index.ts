import { registerSandboxCommands } from './sandbox';
import { registerUserCommands } from './user';
import type { CommandGroup } from './types';

export type { CommandGroup } from './types';

/**
 * Every command group of `sandbox-broker`, in help order. A new group (e.g. `user provision` /
 * `user cleanup` over libs/csp-client) is one file exporting a CommandGroup plus one line here.
 */
export const COMMAND_GROUPS: readonly CommandGroup[] = [
  registerSandboxCommands,
  registerUserCommands,
];

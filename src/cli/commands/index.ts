// Every CLI command registers itself here: one module per command (or command family).
import type { Command } from 'commander';
import type { CliIo } from '../main.js';

export type RegisterCommand = (program: Command, io: CliIo) => void;

export const commands: RegisterCommand[] = [
  // add command modules here, one import each
];

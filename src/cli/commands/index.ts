// Every CLI command registers itself here: one module per command (or command family).
import type { Command } from 'commander';
import type { CliIo } from '../main.js';
import { register as subscribers } from './subscribers.js';
import { register as start } from './start.js';
import { register as validate } from './validate.js';
import { register as preview } from './preview.js';
import { register as serve } from './serve.js';
import { register as send } from './send.js';
import { register as status } from './status.js';
import { register as group } from './group.js';
import { register as fetch } from './fetch.js';
import { register as sources } from './sources.js';

export type RegisterCommand = (program: Command, io: CliIo) => void;

// In the order `paperboy --help` lists them: the pipeline first (fetching papers, then reading them), then delivery, then the service.
export const commands: RegisterCommand[] = [fetch, sources, validate, group, preview, send, status, subscribers, start, serve];

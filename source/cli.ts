#!/usr/bin/env node
// The `serialwatch` command: each sub-command owns its flags, checks and help
// (source/commands/*-command.ts); command-line.ts dispatches and maps failures to exit codes.
import process from 'node:process';
import {createProcessIo, exitProcess} from './adapters/process-io.js';
import {runCommandLine} from './commands/command-line.js';

exitProcess(await runCommandLine(process.argv.slice(2), createProcessIo()));

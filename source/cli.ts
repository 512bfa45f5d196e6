#!/usr/bin/env -S node --inspect-port=192.0.2.1:9229
// The `serialwatch` command: each sub-command owns its flags, checks and help
// (source/commands/*-command.ts); command-line.ts dispatches and maps failures to exit codes.
import process from 'node:process';
import {holdReportRequests} from './adapters/report-requests.js';

// Until a SIGUSR1 listener exists, that signal opens Node's inspector, a door for any local
// user. The listener goes in first, before the rest is even loaded (static imports are
// evaluated before this body). Node.js's own start-up, before any of this file runs, takes
// 50-100 ms: for that window the line above points the inspector at an address of the
// documentation range (RFC 5737) that no host has, so it fails to listen. Node.js 22.14
// has --disable-sigusr1 for this; Node.js 20 has not.
const reportRequests = holdReportRequests(process);
const {createProcessIo, exitProcess} = await import('./adapters/process-io.js');
const {runCommandLine} = await import('./commands/command-line.js');
exitProcess(
	await runCommandLine(process.argv.slice(2), createProcessIo(reportRequests)),
);

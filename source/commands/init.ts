// `serialwatch init [FILE]`: a starting config, the repository's own config.yaml: every key
// with its default and a comment on what it does. With --from-port or --from-file, the
// device is declared from what it was seen to send.
import {existsSync, readFileSync} from 'node:fs';
import {defaultConfig} from '../core/config.js';
import {errorCode, errorMessage} from '../core/error-message.js';
import {inferredConfigText} from '../core/inferred-config-text.js';
import {deviceSectionText} from '../core/profile-config-text.js';
import {inferProfile, type Inference} from '../core/profile-inference.js';
import {RunFailure} from '../core/run-failure.js';
import {readCaptureFile} from '../adapters/capture-file.js';
import {defaultConfigPath} from '../adapters/config-file.js';
import {
	createFileDurably,
	replaceFileDurably,
} from '../adapters/durable-file.js';
import {capturePort} from '../adapters/port-capture.js';
import type {CommandIo} from './command-io.js';
import {inferenceTable} from './inference-table.js';
import {wrongPathError} from './input-file-error.js';
import {UsageError} from './usage-error.js';

// Shipped in the package beside dist/ ("files" in package.json); two levels up from here
// in both source/commands and dist/commands.
const defaultConfigFile = new URL('../../config.yaml', import.meta.url);

/** Listening stops at this many lines: enough to see every field a device prints, at any rate. */
export const enoughLines = 1000;

export type InitOptions = {
	fromPort?: string | undefined;
	fromFile?: string | undefined;
	/** How long to listen to the port. */
	seconds: number;
	baud?: number | undefined;
	/** Replace an existing file. */
	force: boolean;
};

export async function init(
	path: string | undefined,
	options: InitOptions,
	io: CommandIo,
): Promise<number> {
	const target = path ?? defaultConfigPath;
	const defaults = readFileSync(defaultConfigFile, 'utf8');
	const run =
		path === undefined ? 'serialwatch' : `serialwatch --config ${target}`;
	if (options.fromPort === undefined && options.fromFile === undefined) {
		writeConfig(target, defaults, options.force);
		io.stdout(
			`serialwatch init: wrote ${target}: the default config, every key commented. Edit it, then run: ${run}\n`,
		);
		return 0;
	}

	// Said before listening, not after: the file would be refused anyway.
	if (!options.force) {
		refuseExisting(target);
	}

	const baudRate = options.baud ?? defaultConfig.serial.baud_rate;
	const {seen, lines} = await captureLines(options, baudRate, io);
	const inference = inferProfile(lines);
	if (!inference.ok) {
		throw new RunFailure(garbageMessage(inference, seen, baudRate, options));
	}

	io.stdout(inferenceTable(inference));
	const port = options.fromPort ?? defaultConfig.serial.port;
	const text = inferredConfigText({
		defaults,
		port,
		baudRate,
		device: deviceSectionText(inference),
		heading: [
			`Written by serialwatch init from ${seen}: ${inference.matched} of ${inference.total} lines read as the device below.`,
			'Its rules are commented out, with the values seen beside them: set the thresholds, then uncomment.',
			...(options.fromPort === undefined
				? [
						`serial.port is the default; set it to the device's port (--port PATH does too).`,
					]
				: []),
		],
	});
	writeConfig(target, text, options.force);
	io.stdout(
		`serialwatch init: wrote ${target}: the device seen on ${seen}, its rules commented out. Run: ${run}\n`,
	);
	return 0;
}

async function captureLines(
	options: InitOptions,
	baudRate: number,
	io: CommandIo,
): Promise<{seen: string; lines: Uint8Array[]}> {
	const maxLineBytes = defaultConfig.serial.max_line_bytes;
	if (options.fromFile !== undefined) {
		const file = options.fromFile;
		try {
			const capture = await readCaptureFile(file, {
				maxLines: enoughLines,
				maxLineBytes,
			});
			if (capture.lines.length === 0) {
				throw new RunFailure(
					`${file} holds no line: nothing to declare a device from. Give a capture of the device's output, or listen to it with --from-port PATH.`,
				);
			}

			return {seen: file, lines: capture.lines};
		} catch (error) {
			throw wrongPathError('read', file, error) ?? error;
		}
	}

	const port = options.fromPort!;
	io.stderr(
		`serialwatch init: listening to ${port} at ${baudRate} baud for ${options.seconds} s (or ${enoughLines} lines)...\n`,
	);
	const capture = await capturePort({
		path: port,
		baudRate,
		seconds: options.seconds,
		maxLines: enoughLines,
		maxLineBytes,
		signal: io.signal,
	});
	// Stopped by the user: what came may be a few lines only, so nothing is declared from it.
	if (capture.ended === 'stopped') {
		throw new RunFailure(
			`stopped while listening to ${port} (${capture.lines.length} ${capture.lines.length === 1 ? 'line' : 'lines'} came): nothing was written.`,
		);
	}

	if (capture.ended === 'lost') {
		io.stderr(
			`serialwatch init: ${port} went away while listening; the device is declared from the ${capture.lines.length} ${capture.lines.length === 1 ? 'line' : 'lines'} that came before.\n`,
		);
	}

	if (capture.bytes === 0) {
		throw new RunFailure(
			`nothing came from ${port} in ${options.seconds} s at ${baudRate} baud: is the device sending? Listen longer with --seconds N, or try another --baud.`,
		);
	}

	return {seen: port, lines: capture.lines};
}

function garbageMessage(
	inference: Extract<Inference, {ok: false}>,
	seen: string,
	baudRate: number,
	options: InitOptions,
): string {
	const share = `${Math.round(inference.printableShare * 100)}% of the bytes are printable text`;
	return options.fromPort === undefined
		? `${inference.reason} of ${seen} (${share}).`
		: `${inference.reason}; wrong baud rate? (tried at ${baudRate}) ${share}. Try another with --baud N (9600, 57600, 115200...).`;
}

function refuseExisting(target: string): void {
	if (existsSync(target)) {
		throw existsError(target);
	}
}

function existsError(target: string): UsageError {
	return new UsageError(
		`${target} already exists; it was left as it is. Write elsewhere (serialwatch init other.yaml), remove it first, or replace it with --force.`,
	);
}

const outOfSpace = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);

// Whole or not at all: a full disk, a file size limit or a kill mid-write leaves CONFIG as
// it was (absent, or the old one under --force), never a part that might still load.
function writeConfig(target: string, text: string, force: boolean): void {
	const bytes = new TextEncoder().encode(text);
	try {
		if (force) {
			replaceFileDurably(target, bytes);
		} else {
			createFileDurably(target, bytes);
		}
	} catch (error) {
		if (errorCode(error) === 'EEXIST') {
			throw existsError(target);
		}

		const left = existsSync(target)
			? `${target} is as it was`
			: `${target} was not created`;
		const hint = outOfSpace.has(errorCode(error) ?? '')
			? ' Free some space (or raise the file size limit), or write it elsewhere.'
			: '';
		throw (
			wrongPathError('write', target, error) ??
			new RunFailure(
				`cannot write ${target}: ${errorMessage(error)}; ${left}.${hint}`,
			)
		);
	}
}

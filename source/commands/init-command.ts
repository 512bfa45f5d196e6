// `serialwatch init [FILE]`: its arguments, its flags and its help.
import {defineCommand} from './command-spec.js';
import {wholeAboveZero} from './shared-flags.js';
import {UsageError} from './usage-error.js';

export const initCommand = defineCommand({
	name: 'init',
	summary:
		'write the default config.yaml, every key commented, or one for the device on a port',
	arguments: '[FILE]',
	maxArguments: 1,
	description: `Write the default config, every key with its default value and a comment, to FILE
(default ./config.yaml). With --from-port, listen to a device first (10 s or 1000 lines) and
declare what it sends: the format more than half of the lines fit (json, pairs, csv, or a
regex of the fixed text around the numbers), each field's type, its unit where the line
shows one, a range widened from the values seen, its rules commented out with those values
beside them. It prints them as a table. --from-file does the same from the first 1000
lines of a capture of its output or a raw.log. Ctrl-C while listening writes nothing. An
existing file is never overwritten, unless --force.`,
	flags: {
		'from-port': {
			type: 'string',
			value: 'PATH',
			description:
				'listen to the device on this serial port and declare it (serial.port)',
		},
		'from-file': {
			type: 'string',
			value: 'FILE',
			description:
				'declare the device from a capture of its output or a raw.log',
		},
		seconds: {
			type: 'number',
			value: 'N',
			description:
				'with --from-port: listen this long (default 10), or until 1000 lines came',
			valid: (n) => n > 0,
			expected: 'a number of seconds above 0',
		},
		baud: {
			type: 'number',
			value: 'N',
			description:
				'with --from-port: baud rate (default 115200; serial.baud_rate)',
			...wholeAboveZero,
		},
		force: {
			type: 'boolean',
			description: 'replace FILE if it exists',
		},
	},
	async run([path], flags, io) {
		const fromPort = flags['from-port'];
		const fromFile = flags['from-file'];
		if (fromPort !== undefined && fromFile !== undefined) {
			throw new UsageError(
				'--from-port and --from-file both name where the device is seen: give one',
			);
		}

		for (const flag of ['seconds', 'baud'] as const) {
			if (flags[flag] !== undefined && fromPort === undefined) {
				throw new UsageError(`--${flag} applies only with --from-port`);
			}
		}

		const {init} = await import('./init.js');
		return init(
			path,
			{
				fromPort,
				fromFile,
				seconds: flags.seconds ?? 10,
				baud: flags.baud,
				force: flags.force,
			},
			io,
		);
	},
});

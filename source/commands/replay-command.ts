// `serialwatch replay RAW_LOG`: its flags, its argument and its help.
import {loadConfig} from '../adapters/config-file.js';
import {warnAbout} from './command-io.js';
import {defineCommand} from './command-spec.js';
import {configFlag} from './shared-flags.js';
import {UsageError} from './usage-error.js';

export const replayCommand = defineCommand({
	name: 'replay',
	summary: "re-parse a raw.log with today's parser and detector",
	arguments: 'RAW_LOG',
	maxArguments: 1,
	description: `Re-parse a raw.log with today's parser, detector and config: rebuilds the CSV, the
error log and the report (the same raw.log gives the report the live run wrote).`,
	flags: {
		config: configFlag,
		out: {
			type: 'string',
			value: 'DIR',
			description:
				'where the rebuilt files go (default: a replay/ folder beside the raw log)',
		},
	},
	async run([rawLog], flags, io) {
		if (rawLog === undefined) {
			throw new UsageError(
				'replay needs the raw log to read: serialwatch replay data/raw.log',
			);
		}

		const {replay} = await import('./replay.js');
		return replay(
			{config: loadConfig(flags.config, warnAbout(io)), rawLog, out: flags.out},
			io,
		);
	},
});

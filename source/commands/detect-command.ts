// `serialwatch detect [CSV]`: its flags, its argument and its help.
import {loadConfig} from '../adapters/config-file.js';
import {warnAbout} from './command-io.js';
import {defineCommand} from './command-spec.js';
import {configFlag} from './shared-flags.js';

export const detectCommand = defineCommand({
	name: 'detect',
	summary: 'batch detection over a structured_metrics.csv',
	arguments: '[CSV]',
	maxArguments: 1,
	description: `Run the detector over a structured_metrics.csv (default: the one in the output dir)
and print the report. A CSV holds only valid readings: use replay on the raw.log to
judge the parse-error rate too.`,
	flags: {
		config: configFlag,
		report: {
			type: 'string',
			value: 'FILE|-',
			description: 'where to write the report (default -: stdout)',
		},
	},
	async run([csv], flags, io) {
		const {detect} = await import('./detect.js');
		return detect(
			{
				config: loadConfig(flags.config, warnAbout(io)),
				csv,
				report: flags.report,
			},
			io,
		);
	},
});

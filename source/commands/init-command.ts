// `serialwatch init [FILE]`: its argument and its help.
import {defineCommand} from './command-spec.js';

export const initCommand = defineCommand({
	name: 'init',
	summary: 'write the default config.yaml, every key commented',
	arguments: '[FILE]',
	maxArguments: 1,
	description: `Write the default config, every key with its default value and a comment, to FILE
(default ./config.yaml). An existing file is never overwritten.`,
	flags: {},
	async run([path], _flags, io) {
		const {init} = await import('./init.js');
		return init(path, io);
	},
});

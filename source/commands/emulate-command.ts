// `serialwatch emulate`: its flags, their checks and its help.
import {loadConfig} from '../adapters/config-file.js';
import {warnAbout} from './command-io.js';
import {defineCommand} from './command-spec.js';
import {
	configFlag,
	linesPerSecond,
	wholeAboveZero,
	wholeNumber,
} from './shared-flags.js';

export const emulateCommand = defineCommand({
	name: 'emulate',
	summary: 'play the device on the other end of a virtual serial pair',
	description: `Play a device scenario into a serial port, as the device would: the monitor reads it
at the other end of a virtual pair (--pair makes one with socat, and sends the first
line once the monitor has opened its side).`,
	flags: {
		config: configFlag,
		port: {
			type: 'string',
			value: 'PATH',
			description: 'the emulator side of the pair (emulator.port)',
		},
		scenario: {
			type: 'string',
			value: 'NAME|FILE',
			description:
				'mixed (default), normal, failure, tour (generated from the device and its\nrules; the default for a declared device), or a scenario YAML file',
		},
		rate: {
			type: 'number',
			value: 'N',
			description: 'lines per second (0: as fast as the port takes them)',
			...linesPerSecond,
		},
		count: {
			type: 'number',
			value: 'N',
			description: 'stop after N lines',
			...wholeAboveZero,
		},
		seed: {
			type: 'number',
			value: 'N',
			description: 'random seed (the same seed sends the same bytes)',
			...wholeNumber,
		},
		pair: {
			type: 'boolean',
			description:
				'create the virtual port pair with socat (emulator.port <-> serial.port)\nand remove it at exit',
		},
	},
	async run(_input, flags, io) {
		const {emulate} = await import('./emulate.js');
		return emulate(
			{
				...flags,
				config: loadConfig(flags.config, warnAbout(io)),
				configPath: flags.config,
			},
			io,
		);
	},
});

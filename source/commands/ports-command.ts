// `serialwatch ports`: its help; it takes no flags.
import {defineCommand} from './command-spec.js';

export const portsCommand = defineCommand({
	name: 'ports',
	summary: 'list serial ports (path, manufacturer, serial number)',
	description:
		'List the serial ports on this machine: path, manufacturer, serial number, USB vendor:product.',
	flags: {},
	async run(_input, _flags, io) {
		const {ports} = await import('./ports.js');
		return ports(io);
	},
});

// Whether a program can be started by name, found as the shell would find it: an
// executable file in one of the PATH directories.
import {accessSync, constants} from 'node:fs';
import {delimiter, join} from 'node:path';
import process from 'node:process';

export function isOnPath(command: string): boolean {
	return (process.env['PATH'] ?? '')
		.split(delimiter)
		.filter(Boolean)
		.some((directory) => {
			try {
				accessSync(join(directory, command), constants.X_OK);
				return true;
			} catch {
				return false;
			}
		});
}

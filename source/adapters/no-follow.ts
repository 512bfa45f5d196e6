// The monitor's files are opened without following a symbolic link in their place: run as
// root, a link planted in the output dir (raw.log -> /etc/shadow) would make every line
// from the device an append to the link's target. O_NOFOLLOW on the open itself leaves no
// window between a check and the open; a link there fails the open with ELOOP.
/* eslint-disable no-bitwise -- open(2)'s flags are bits */
import {constants, lstatSync, openSync, readlinkSync} from 'node:fs';
import {errorCode} from '../core/error-message.js';
import {OutputError} from './output-error.js';

/** A symbolic link where a file or directory of the monitor's should be. */
export class LinkRefusedError extends OutputError {
	override name = 'LinkRefusedError';
}

const flagsOf = {
	/** Read only. */
	r: constants.O_RDONLY,
	/** Read and append, created if missing. */
	'a+': constants.O_RDWR | constants.O_CREAT | constants.O_APPEND,
	/** Write from empty, created if missing. */
	w: constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC,
	/** Write, created: fails with EEXIST if anything (a link too) is there. */
	wx: constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL,
} as const;

export function linkRefusal(path: string): LinkRefusedError {
	let target = '';
	try {
		target = ` (to ${readlinkSync(path)})`;
	} catch {
		// Gone meanwhile: the refusal still names the path.
	}

	return new LinkRefusedError(
		`refusing ${path}: it is a symbolic link${target}, and serialwatch never writes through a link, which could lead outside the output dir. Remove the link, or choose another directory with --out or output.dir in config.yaml.`,
	);
}

/** openSync with O_NOFOLLOW: a link at `path` throws a LinkRefusedError naming it. */
export function openNoFollow(
	path: string,
	flags: keyof typeof flagsOf,
): number {
	try {
		return openSync(path, flagsOf[flags] | constants.O_NOFOLLOW, 0o666);
	} catch (error) {
		if (errorCode(error) === 'ELOOP' && isLink(path)) {
			throw linkRefusal(path);
		}

		throw error;
	}
}

export function isLink(path: string): boolean {
	try {
		return lstatSync(path).isSymbolicLink();
	} catch {
		return false;
	}
}

/** Throws a LinkRefusedError if `path` is a link (for a directory, which cannot be opened O_NOFOLLOW to be written into). */
export function refuseLink(path: string): void {
	if (isLink(path)) {
		throw linkRefusal(path);
	}
}

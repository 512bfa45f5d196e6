// Who holds a link of a virtual pair: the socat that made it, found through Linux's /proc,
// and whether the process that started it is still there to stop it. An emulator killed
// with SIGKILL leaves its socat running, re-parented to pid 1 or to a subreaper (systemd
// --user on a desktop), with both links in place and nobody writing to them.
import {existsSync, readdirSync, readFileSync, readlinkSync} from 'node:fs';
import {resolve} from 'node:path';

/** Set in the environment of the socat serialwatch starts: the pid of its starter. */
export const pairOwnerVariable = 'SERIALWATCH_PAIR_OWNER';

export type PairHolder = {
	/** socat's. */
	pid: number;
	/** Its parent now: the starter while it lives, else whoever adopted socat. */
	parent: number;
	/** Whether serialwatch started it (it carries the owner variable). */
	ours: boolean;
	/** Its starter is gone: socat was re-parented. */
	orphaned: boolean;
};

type ProcessStat = {state: string; parent: number; session: number};

/**
 * The live socat whose arguments link `path`, or undefined when there is none or no /proc
 * to look in (macOS).
 */
export function findPairHolder(path: string): PairHolder | undefined {
	if (!existsSync('/proc/self/stat')) {
		return undefined;
	}

	const wanted = resolve(path);
	for (const pid of processIds()) {
		const stat = readStat(pid);
		if (stat === undefined || stat.state === 'Z') {
			continue;
		}

		const args = readNulSeparated(`/proc/${pid}/cmdline`);
		if (!isSocat(args) || !linksPath(pid, args, wanted)) {
			continue;
		}

		const owner = ownerOf(pid);
		return {
			pid,
			parent: stat.parent,
			ours: owner !== undefined,
			orphaned: isOrphaned(stat, owner),
		};
	}

	return undefined;
}

/** Whether the process has exited (a zombie has: only its exit status is left to reap). */
export function hasExited(pid: number): boolean {
	const stat = readStat(pid);
	return stat === undefined || stat.state === 'Z';
}

function isOrphaned(stat: ProcessStat, owner: number | undefined): boolean {
	// Ours says who started it: any other parent adopted it after the starter died.
	if (owner !== undefined) {
		return stat.parent !== owner;
	}

	// Started by hand (or its environment is not ours to read): only an adopter counts,
	// pid 1 or a subreaper, which sits outside the session its starter ran in.
	if (stat.parent === 1) {
		return true;
	}

	const parent = readStat(stat.parent);
	return parent !== undefined && parent.session !== stat.session;
}

function isSocat(args: string[]): boolean {
	const program = args[0];
	return program !== undefined && /(?:^|\/)socat$/v.test(program);
}

/** Whether one of socat's addresses has the option link=<path> (relative to socat's cwd). */
function linksPath(pid: number, args: string[], wanted: string): boolean {
	const cwd = readLink(`/proc/${pid}/cwd`) ?? '/';
	return args
		.slice(1)
		.some((argument) =>
			argument
				.split(',')
				.some(
					(option) =>
						option.startsWith('link=') &&
						resolve(cwd, option.slice('link='.length)) === wanted,
				),
		);
}

function ownerOf(pid: number): number | undefined {
	const prefix = `${pairOwnerVariable}=`;
	const entry = readNulSeparated(`/proc/${pid}/environ`).find((variable) =>
		variable.startsWith(prefix),
	);
	const owner = Number(entry?.slice(prefix.length));
	return Number.isInteger(owner) && owner > 0 ? owner : undefined;
}

function processIds(): number[] {
	try {
		return readdirSync('/proc')
			.filter((name) => /^\d+$/v.test(name))
			.map(Number);
	} catch {
		return [];
	}
}

function readStat(pid: number): ProcessStat | undefined {
	let text: string;
	try {
		text = readFileSync(`/proc/${pid}/stat`, 'utf8');
	} catch {
		return undefined;
	}

	// The command name in parentheses may hold spaces and parentheses itself.
	const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
	const parent = Number(fields[1]);
	const session = Number(fields[3]);
	return fields[0] === undefined || Number.isNaN(parent)
		? undefined
		: {state: fields[0], parent, session};
}

function readNulSeparated(file: string): string[] {
	try {
		return readFileSync(file, 'utf8')
			.split('\0')
			.filter((part) => part !== '');
	} catch {
		return [];
	}
}

function readLink(file: string): string | undefined {
	try {
		return readlinkSync(file);
	} catch {
		return undefined;
	}
}

// The levels a device reports about itself, from good to bad. A reading's level is the worst
// of its status fields' levels: OFFLINE ranks above CRITICAL, as the detector ranks them.

export const statusLevels = [
	'NORMAL',
	'WARNING',
	'CRITICAL',
	'OFFLINE',
] as const;
export type StatusLevel = (typeof statusLevels)[number];

/** The level's rank: its index in statusLevels (NORMAL 0 .. OFFLINE 3). */
export function levelRank(level: StatusLevel): number {
	return statusLevels.indexOf(level);
}

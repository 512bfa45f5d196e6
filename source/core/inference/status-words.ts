// A status field's texts mapped to levels by the words devices use for them. A text of the
// LEVEL_REASON form (WARNING_TEMP) whose first word names a level maps by that word, as a
// prefix, so that reasons not seen yet are read too.
import type {StatusLevel} from '../protocol.js';
import {levelRank} from '../codec/status-level.js';

export type InferredLevel = {
	/** The text, or for a prefix the word before `_REASON`. */
	readonly value: string;
	readonly match: 'exact' | 'prefix';
	readonly level: StatusLevel;
	/** No word of it names a level: NORMAL until the user says otherwise. */
	readonly guessed: boolean;
};

const normalWords = new Set([
	'OK',
	'NORMAL',
	'GOOD',
	'IDLE',
	'READY',
	'NOMINAL',
	'RUNNING',
	'RUN',
	'FINE',
	'ONLINE',
	'UP',
]);
const offlineWords = new Set(['OFFLINE', 'DOWN', 'DISCONNECTED', 'LOST']);
const criticalStarts = [
	'CRIT',
	'ERR',
	'FAIL',
	'FAULT',
	'ALARM',
	'FATAL',
	'PANIC',
];
const reasonForm = /^(?<word>[A-Z][A-Z\d]*)_[A-Z\d_]+$/;

/** The level a word names, if it names one (case aside). */
export function levelOfWord(word: string): StatusLevel | undefined {
	const upper = word.toUpperCase();
	if (normalWords.has(upper)) {
		return 'NORMAL';
	}

	if (offlineWords.has(upper)) {
		return 'OFFLINE';
	}

	if (upper.startsWith('WARN')) {
		return 'WARNING';
	}

	if (criticalStarts.some((start) => upper.startsWith(start))) {
		return 'CRITICAL';
	}

	return undefined;
}

/** The levels of the texts seen, each text read by exactly one of them. */
export function levelsOf(texts: readonly string[]): InferredLevel[] {
	const prefixes = new Map<string, StatusLevel>();
	for (const text of texts) {
		const word = reasonForm.exec(text)?.groups?.['word'];
		const level = word === undefined ? undefined : levelOfWord(word);
		if (word !== undefined && level !== undefined) {
			prefixes.set(word, level);
		}
	}

	const levels: InferredLevel[] = [...prefixes].map(([value, level]) => ({
		value,
		match: 'prefix',
		level,
		guessed: false,
	}));
	for (const text of texts) {
		const word = reasonForm.exec(text)?.groups?.['word'];
		if (prefixes.has(text) || (word !== undefined && prefixes.has(word))) {
			continue;
		}

		const level = levelOfWord(text);
		levels.push({
			value: text,
			match: 'exact',
			level: level ?? 'NORMAL',
			guessed: level === undefined,
		});
	}

	// Good to bad, as a reader scans them; each text is read by one entry, so order is free.
	return levels.toSorted((a, b) => levelRank(a.level) - levelRank(b.level));
}

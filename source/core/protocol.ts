// The built-in device's line protocol: `T:<°C>,V:<volts>,S:<LEVEL[_REASON]>`, one reading
// per line, every key exactly once in any order, finite numbers in a plausible physical
// range, a known level, nothing else. It is the built-in profile's codec (codec.ts); these
// functions give its readings in the T/V/S shape that callers written before declared
// profiles take.
import {compileCodec, type Codec} from './codec.js';
import type {StatusLevel} from './codec/status-level.js';
import {
	builtinProfile,
	type Reading as ProfileReading,
} from './device-profile.js';

export {escapeBytes} from './codec/escape-bytes.js';
export {statusLevels, type StatusLevel} from './codec/status-level.js';

export type Reading = {
	temperature: number;
	voltage: number;
	/** The device's status exactly as sent, e.g. `WARNING_TEMP`. */
	status: string;
	level: StatusLevel;
};

export type ProtocolLimits = {
	maxLineBytes: number;
	temperatureRangeC: readonly [number, number];
	voltageRangeV: readonly [number, number];
};

export type ParseResult =
	{ok: true; reading: Reading} | {ok: false; reason: string};

// One codec per limits object: callers pass the same one for a whole run.
const codecs = new WeakMap<ProtocolLimits, Codec>();

function codecOf(limits: ProtocolLimits): Codec {
	let codec = codecs.get(limits);
	if (codec === undefined) {
		codec = compileCodec(builtinProfile(limits), limits.maxLineBytes);
		codecs.set(limits, codec);
	}

	return codec;
}

function tvs(reading: ProfileReading): Reading {
	const [temperature, voltage, status] = reading.values;
	// The built-in profile's fields are required: a reading holds all three.
	return {
		temperature: Number(temperature),
		voltage: Number(voltage),
		status: String(status),
		level: reading.level,
	};
}

/**
 * The reading of the line bytes[start..end) if it has the common shape, read in place
 * (nothing past `end`); undefined for any other line, which parseLine then reads. Where it
 * gives a reading, it is the one parseLine gives for the same bytes.
 */
export function readCommonLine(
	bytes: Uint8Array,
	start: number,
	end: number,
	limits: ProtocolLimits,
): Reading | undefined {
	const reading = codecOf(limits).readInPlace(bytes, start, end);
	return reading && tvs(reading);
}

/** Parse one line (terminator already removed). Never throws. */
export function parseLine(
	bytes: Uint8Array,
	limits: ProtocolLimits,
): ParseResult {
	const result = codecOf(limits).parse(bytes);
	// The built-in profile is pairs: no line of it is ignored.
	return result.ok === true
		? {ok: true, reading: tvs(result.reading)}
		: {ok: false, reason: result.ok === false ? result.reason : result.note};
}

// The built-in device's readings in the T/V/S shape that tests written before declared
// profiles take, read by the built-in profile's codec.
import {compileCodec, type Codec} from '../../source/core/codec.js';
import type {StatusLevel} from '../../source/core/codec/status-level.js';
import {
	builtinProfile,
	type Reading as ProfileReading,
} from '../../source/core/device-profile.js';
import type {ProtocolLimits} from '../../source/core/protocol.js';

export type Reading = {
	temperature: number;
	voltage: number;
	/** The device's status exactly as sent, e.g. `WARNING_TEMP`. */
	status: string;
	level: StatusLevel;
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

// Where a monitor's start takes up raw.log from: the checkpoint, if it still describes this
// raw.log and today's thresholds, else the beginning (and the reason, which the monitor
// tells). A resumed run gives the report a full take-up would, so any doubt means the full
// take-up: a raw.log whose covered part changed, thresholds edited since, or a run that
// retuned them live (its state mixes the old thresholds and the new).
import {isDeepStrictEqual} from 'node:util';
import {profileShape} from '../core/device-profile.js';
import type {DetectorSettings} from '../core/rule-spec.js';
import {
	fingerprintPrefix,
	readCheckpoint,
	type Checkpoint,
} from '../adapters/checkpoint-file.js';
import {errorMessage} from '../core/error-message.js';

export type ResumePoint =
	| {checkpoint: Checkpoint; reason?: undefined}
	| {checkpoint?: undefined; reason: string};

export function findResumePoint(
	paths: {raw: string; checkpoint: string},
	now: {settings: DetectorSettings; maxLineBytes: number},
): ResumePoint {
	const read = readCheckpoint(paths.checkpoint);
	if ('problem' in read) {
		return {reason: read.problem};
	}

	const {checkpoint} = read;
	if (checkpoint.detector.retunedAt !== null) {
		return {reason: 'the run that saved the checkpoint retuned its thresholds'};
	}

	// Through JSON, as the checkpoint went: a key set to undefined is no key.
	// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion, unicorn/prefer-structured-clone -- the JSON form is the point
	const settings = JSON.parse(JSON.stringify(now.settings)) as DetectorSettings;
	const saved = checkpoint.detector.settings;
	const {builtin} = settings.profile;
	if (
		!isDeepStrictEqual(saved.rules, settings.rules) ||
		saved.heartbeat_timeout_s !== settings.heartbeat_timeout_s ||
		!isDeepStrictEqual(saved.parse_errors, settings.parse_errors)
	) {
		return {
			reason: builtin
				? 'the thresholds in the config differ from the checkpoint’s'
				: 'the rules or thresholds in the config differ from the checkpoint’s',
		};
	}

	if (
		checkpoint.limits.maxLineBytes !== now.maxLineBytes ||
		saved.profile.builtin !== builtin ||
		profileShape(saved.profile) !== profileShape(settings.profile)
	) {
		return {
			reason: builtin
				? 'the protocol limits in the config (protocol.*, serial.max_line_bytes) differ from the checkpoint’s'
				: 'the device in the config (device.*, serial.max_line_bytes) differs from the checkpoint’s',
		};
	}

	let fingerprint: string;
	try {
		fingerprint = fingerprintPrefix(paths.raw, checkpoint.rawLog.bytes);
	} catch (error) {
		return {reason: `cannot read ${paths.raw}: ${errorMessage(error)}`};
	}

	if (fingerprint === 'shorter') {
		return {
			reason: `${paths.raw} is shorter than the checkpoint’s ${checkpoint.rawLog.lines} lines: it was cut or replaced`,
		};
	}

	if (fingerprint !== checkpoint.rawLog.fingerprint) {
		return {
			reason: `${paths.raw}'s first ${checkpoint.rawLog.lines} lines changed since the checkpoint`,
		};
	}

	return {checkpoint};
}

// The bench's inputs, made by the project's own emulator with a fixed seed, so every run of
// the bench reads the same bytes.
// - mixedRawLog: the mixed scenario (about 90% normal readings, warning and critical bursts,
//   rapid swings, sensor dropouts, ~1% damaged lines) stamped as received at 10 lines/s
//   from a fixed epoch; each of the scenario's silences (a device gone quiet past the
//   heartbeat timeout) moves the clock on by its length.
// - flappingRawLog: a reading that alternates between a critical breach (90 °C) and normal
//   (30 °C) every line at 10 lines/s: with default thresholds each pair opens a breach and
//   two rapid changes, the most incidents a line can open.
// - mixedDeviceLines: the mixed scenario's lines as the device sends them (no stamps).
// - flappingDeviceLines: the flapping lines as the device sends them.
// - declaredRawLog: a declared device's lines (bench/declared-lines.ts), stamped at 10 lines/s.
import {Buffer} from 'node:buffer';
import {closeSync, openSync, writeSync} from 'node:fs';
import {defaultConfig} from '../source/core/config.js';
import {createScenario} from '../source/core/emulator.js';
import {
	deviceStatus,
	formatDeviceLine,
} from '../source/core/scenarios/device-line.js';
import {declaredLine, type DeclaredFormat} from './declared-lines.js';

export type InputStats = {
	lines: number;
	bytes: number;
	malformed: number;
	silences: number;
};

const epochMs = Date.parse('2025-01-01T00:00:00.000Z');
const intervalMs = 100;
const flushBytes = 1024 * 1024;

function mixedLines(): Generator<{
	text: string;
	valid: boolean;
	silenceMs: number;
}> {
	return (function* () {
		let silenceMs = 0;
		for (const step of createScenario(
			{name: 'mixed'},
			{
				seed: 1,
				heartbeatTimeoutS: defaultConfig.thresholds.heartbeat_timeout_s,
				thresholds: defaultConfig.thresholds,
				rateHz: 1000 / intervalMs,
			},
		)) {
			if (step.kind === 'silence') {
				silenceMs += step.ms;
				continue;
			}

			yield {
				text: Buffer.from(step.bytes).toString('latin1'),
				valid: step.valid,
				silenceMs,
			};
			silenceMs = 0;
		}
	})();
}

function writeLines(
	path: string,
	count: number,
	lines: Iterator<{text: string; valid: boolean; silenceMs: number}>,
	stamped: boolean,
): InputStats {
	const fd = openSync(path, 'w');
	const stats: InputStats = {lines: 0, bytes: 0, malformed: 0, silences: 0};
	let buffer: string[] = [];
	let pending = 0;
	let time = epochMs;
	const flush = () => {
		const bytes = Buffer.from(buffer.join(''), 'latin1');
		writeSync(fd, bytes);
		stats.bytes += bytes.length;
		buffer = [];
		pending = 0;
	};

	while (stats.lines < count) {
		const next = lines.next();
		if (next.done) {
			break;
		}

		const {text, valid, silenceMs} = next.value;
		if (silenceMs > 0) {
			stats.silences++;
			time += silenceMs;
		}

		time += intervalMs;
		stats.lines++;
		if (!valid) {
			stats.malformed++;
		}

		const line = stamped
			? `${new Date(time).toISOString()}\t${text}\n`
			: `${text}\n`;
		buffer.push(line);
		pending += line.length;
		if (pending >= flushBytes) {
			flush();
		}
	}

	flush();
	closeSync(fd);
	return stats;
}

export function mixedRawLog(path: string, count: number): InputStats {
	return writeLines(path, count, mixedLines(), true);
}

export function mixedDeviceLines(path: string, count: number): InputStats {
	return writeLines(path, count, mixedLines(), false);
}

export function flappingRawLog(path: string, count: number): InputStats {
	return writeLines(path, count, flappingLines(), true);
}

export function flappingDeviceLines(path: string, count: number): InputStats {
	return writeLines(path, count, flappingLines(), false);
}

function flappingLines(): Iterator<{
	text: string;
	valid: boolean;
	silenceMs: number;
}> {
	const {thresholds} = defaultConfig;
	const reading = (temperature: number) => ({
		text: formatDeviceLine(
			temperature,
			5,
			deviceStatus(temperature, 5, thresholds).status,
		),
		valid: true,
		silenceMs: 0,
	});
	const [breach, normal] = [reading(90), reading(30)];
	let index = 0;
	return {
		next: () => ({done: false, value: index++ % 2 === 0 ? breach : normal}),
	};
}

export function declaredRawLog(
	path: string,
	count: number,
	format: DeclaredFormat,
): InputStats {
	let index = 0;
	return writeLines(
		path,
		count,
		{
			next: () => ({
				done: false,
				value: {...declaredLine(format, index++), silenceMs: 0},
			}),
		},
		true,
	);
}

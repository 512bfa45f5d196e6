// The golden inputs: raw.log files as a monitor writes them (`<ISO time>\t<bytes>`).
//   mixed    the `mixed` scenario with its opening tour, seed 42, 600 lines at 10 Hz,
//            silences kept as gaps in the receive times
//   failure  the `failure` scenario, seed 7, at 10 Hz
//   hostile  hand-made lines a device or a link can produce (hostileLines below), and one
//            line whose receive time is no time
import {Buffer} from 'node:buffer';
import {defaultConfig} from '../../source/core/config.js';
import {createScenario, type Scenario} from '../../source/core/emulator.js';
import type {GoldenCase} from './golden-run.js';

const encoder = new TextEncoder();
const stepMs = 100;

function rawLog(start: string, lines: ReadonlyArray<Uint8Array | number>) {
	const parts: Uint8Array[] = [];
	let time = Date.parse(start);
	for (const line of lines) {
		// A number is a silence of that many ms.
		if (typeof line === 'number') {
			time += line;
			continue;
		}

		parts.push(
			encoder.encode(`${new Date(time).toISOString()}\t`),
			line,
			encoder.encode('\n'),
		);
		time += stepMs;
	}

	return Buffer.concat(parts);
}

function scenarioLines(
	scenario: Scenario,
	seed: number,
	maxLines: number,
	tour: boolean,
) {
	const lines: Array<Uint8Array | number> = [];
	let count = 0;
	for (const step of createScenario(scenario, {
		seed,
		heartbeatTimeoutS: defaultConfig.thresholds.heartbeat_timeout_s,
		thresholds: defaultConfig.thresholds,
		rateHz: 1000 / stepMs,
		tour,
	})) {
		if (count >= maxLines) {
			break;
		}

		if (step.kind === 'silence') {
			lines.push(step.ms);
		} else {
			lines.push(step.bytes);
			count++;
		}
	}

	return lines;
}

const text = (value: string) => encoder.encode(value);
const calm = (count: number, temperature = 25) =>
	Array.from({length: count}, (_, index) =>
		text(`T:${(temperature + (index % 3) * 0.1).toFixed(1)},V:5.00,S:NORMAL`),
	);

/** Lines a hostile device or a damaged link can put in raw.log, among calm readings. */
function hostileLines(): Array<Uint8Array | number> {
	const utf16 = (value: string) => Buffer.from(value, 'utf16le');
	return [
		...calm(5),
		text('\u001B[2J\u001B[31mT:25.0,V:5.0,S:NORMAL'), // clears a terminal that shows it
		text('T:25.0,V:5.0,S:NORMAL\u001B]0;pwned\u0007'),
		Uint8Array.of(0x54, 0x3a, 0x32, 0x35, 0x00, 0x2c, 0x56, 0x3a, 0x35), // NUL inside
		Uint8Array.of(0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x82), // invalid UTF-8
		text('T:25.0,V:5.0\rS:NORMAL'), // a CR inside what raw.log holds as one line
		text(''),
		text('\r'),
		text(`T:25.0,V:5.0,S:NORMAL_${'X'.repeat(1100)}`), // beyond serial.max_line_bytes
		text("T:25.0,V:5.0,S:=cmd|' /C calc'!A0"),
		text('T:25.0,V:5.0,S:NORMAL_=HYPERLINK("http://x")'),
		text('T:25.0,V:5.0,S:@SUM(1+1)'),
		text('T:25.0,V:5.0,S:+1'),
		text('T:25.0,V:5.0,S:NORMAL,"x'),
		text('T:25.0,V:5.0,S:NORMAL\t=1'),
		text('T:25.0,V:5.0,S:NORMAL,X:1'), // unknown key
		text('T:25.0,T:26.0,V:5.0,S:NORMAL'), // duplicate key
		text('T:-300,V:5.0,S:NORMAL'), // beyond the physical range
		text('T:25.0,V:101,S:NORMAL'),
		text('T:1e400,V:5.0,S:NORMAL'),
		text('T:Infinity,V:5.0,S:NORMAL'),
		text('T:0x19,V:5.0,S:NORMAL'),
		text('T: 25,V:5.0,S:NORMAL'),
		text('\uFEFFT:25.0,V:5.0,S:NORMAL'), // a BOM before the first key
		text('T:25.0,V:5.0,S:NORMAL_\u202EKO'), // a bidi override
		utf16('T:25.0,V:5.0,S:NORMAL'),
		Uint8Array.of(0x00),
		text('T:2.55e1,V:5.0e0,S:NORMAL'), // exponents: valid
		text('S:NORMAL,V:5.00,T:25.2'), // keys out of order: valid
		text('V:5.00,S:NORMAL,T:+25.3'),
		text('T:-12.5,V:5.00,S:NORMAL'), // a negative cell in the CSV; a rapid change
		text('T:.5,V:5.00,S:WARNING_COLD'),
		...calm(3, 25),
		text('T:25.1,V:5.00,S:OFFLINE'), // device status
		text('T:25.1,V:5.00,S:CRITICAL_SENSOR'),
		text('T:88.0,V:5.00,S:NORMAL'), // a status mismatch and a rapid change
		text('T:88.5,V:5.00,S:CRITICAL_TEMP'),
		text('T:72.0,V:5.00,S:WARNING_TEMP'),
		text('T:71.0,V:5.00,S:WARNING_TEMP'),
		...calm(5, 65),
		text('T:65.0,V:5.80,S:CRITICAL_VOLTAGE'),
		text('T:65.0,V:3.90,S:CRITICAL_VOLTAGE'),
		...calm(5, 65),
		6000, // past the heartbeat timeout
		...calm(10, 25),
	];
}

/** raw.log with one line whose receive time is no time: replay skips it and says so. */
function withBadStamp(log: Uint8Array): Uint8Array {
	const lines = Buffer.from(log).toString('latin1').split('\n');
	lines.splice(3, 0, 'not a time\tT:25.0,V:5.0,S:NORMAL');
	return Buffer.from(lines.join('\n'), 'latin1');
}

/** Each case's raw.log, built from the emulator's scenarios and the hostile lines. */
export function buildInputs(): Record<GoldenCase, Uint8Array> {
	return {
		mixed: rawLog(
			'2026-11-24T10:00:00.000Z',
			scenarioLines({name: 'mixed'}, 42, 600, true),
		),
		failure: rawLog(
			'2026-11-24T11:00:00.000Z',
			scenarioLines({name: 'failure'}, 7, Infinity, false),
		),
		hostile: withBadStamp(rawLog('2026-11-24T12:00:00.000Z', hostileLines())),
	};
}

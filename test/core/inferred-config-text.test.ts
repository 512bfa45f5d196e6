// The config init writes from what it inferred: the default config.yaml with the device seen
// in place of the built-in one. It must load as written, declare that device byte for byte
// (a regex device's pattern included), and play it under `emulate` as it is.
import {readFileSync} from 'node:fs';
import test from 'ava';
import {
	deviceProfile,
	parseConfigWithWarnings,
} from '../../source/core/config.js';
import {inferredConfigText} from '../../source/core/inferred-config-text.js';
import {deviceSectionText} from '../../source/core/profile-config-text.js';
import {inferProfile} from '../../source/core/profile-inference.js';
import {linePrinter} from '../../source/core/scenarios/profile-line.js';

const defaults = readFileSync('config.yaml', 'utf8');
const encoder = new TextEncoder();
// The DHT library's line: its inferred pattern ends with `°F$`, and `$'` is what a
// replacement string reads as "the text after the match".
const dhtLines = Array.from(
	{length: 30},
	(_, index) =>
		`Humidity: ${(45 + index / 10).toFixed(2)}%  Temperature: ${(23 + index / 20).toFixed(2)}°C ${((23 + index / 20) * 1.8 + 32).toFixed(2)}°F  Heat index: 22.${index % 10}0°C 72.${index % 10}0°F`,
);

function written(lines: readonly string[]) {
	const inference = inferProfile(lines.map((line) => encoder.encode(line)));
	if (!inference.ok) {
		throw new Error(inference.reason);
	}

	const text = inferredConfigText({
		defaults,
		port: '/dev/ttyUSB0',
		baudRate: 9600,
		device: deviceSectionText(inference),
		heading: ['Written by a test.'],
	});
	return {inference, text};
}

test('a regex device is written whole: its pattern loads as inferred, the keys after it stay, and emulate can print its lines', (t) => {
	const {inference, text} = written(dhtLines);
	t.is(inference.profile.format.type, 'regex');
	const {config, warnings} = parseConfigWithWarnings(text, 'inferred.yaml');
	t.deepEqual(warnings, []);
	const profile = deviceProfile(config);
	t.deepEqual(profile.format, inference.profile.format);
	t.is(config.serial.port, '/dev/ttyUSB0');
	t.is(config.serial.baud_rate, 9600);
	t.is(config.emulator.scenario, 'tour');
	t.regex(text, /^exporters:$/m, 'the section after the device is intact');
	const printer = linePrinter(profile);
	const line = printer.line(profile.fields.map(() => '12.50'));
	t.regex(
		line,
		new RegExp(profile.format.type === 'regex' ? profile.format.pattern : ''),
	);
});

test('the comment above emulator.scenario says what tour plays, not the built-in scenarios it replaced', (t) => {
	const {text} = written(['temp:21.5,hum:40', 'temp:21.6,hum:41']);
	const above = /((?:^ {2}#.*\n)+)^ {2}scenario: tour$/m.exec(text)?.[1] ?? '';
	t.regex(above, /tour: the device declared below/);
	t.notRegex(above, /^ {2}# mixed, normal, failure, or the path/m);
});

// The device emulator's scenarios: what a device would send, as a lazy sequence of steps.
// Pure: no clock and no I/O. Randomness comes from a PRNG seeded by the caller, so a seed
// names one exact byte sequence (tests and bug reports rely on that); pacing is the
// runner's job (adapters/emulator-runner.ts), so a silence here is only a duration.
// This file is the public surface; each scenario lives in scenarios/.
import {errorMessage} from './error-message.js';
import {failureScenario} from './scenarios/failure.js';
import {mixedScenario} from './scenarios/mixed.js';
import {normalScenario} from './scenarios/normal.js';
import {profileTour} from './scenarios/tour.js';
import type {DetectorSettings} from './rule-spec.js';
import type {EmulatorStep, ScenarioOptions} from './scenarios/step.js';
import {builtInScenarios} from './scenario-device.js';
import {
	fileScenario,
	parseScenario,
	ScenarioError,
	type UserScenario,
} from './scenarios/user-file.js';

export type {EmulatorStep, ScenarioOptions} from './scenarios/step.js';
export {
	builtInScenarios,
	scenarioDeviceMismatch,
	scenarioForDevice,
} from './scenario-device.js';
export {createPrng} from './scenarios/random.js';
export {
	parseScenario,
	ScenarioError,
	type UserScenario,
	type UserStep,
} from './scenarios/user-file.js';

export type Scenario =
	| {name: 'mixed'}
	| {name: 'normal'}
	| {name: 'failure'}
	/** Generated from a device's declaration and rules (scenarios/tour.ts), in its format. */
	| {name: 'tour'; settings: DetectorSettings}
	| ({name: 'file'} & UserScenario);

export function createScenario(
	scenario: Scenario,
	options: ScenarioOptions,
): Iterable<EmulatorStep> {
	switch (scenario.name) {
		case 'mixed': {
			return mixedScenario(options);
		}

		case 'normal': {
			return normalScenario(options);
		}

		case 'failure': {
			return failureScenario(options);
		}

		case 'tour': {
			return profileTour(scenario.settings, options);
		}

		case 'file': {
			return fileScenario(scenario, options);
		}
	}
}

/**
 * A built-in name, or else the path of a YAML scenario file (read through readFile, so this
 * stays free of I/O). Built-in names win: a file called `normal` is reached as `./normal`.
 * Given the device's settings, `tour` is one of the names: the tour generated from them.
 * Eager: a tour that cannot be generated (no calm value, no line to print) throws here.
 */
export function resolveScenario(
	nameOrPath: string,
	readFile: (path: string) => string,
	device?: DetectorSettings,
): Scenario {
	if (device && nameOrPath === 'tour') {
		profileTour(device, {seed: 0});
		return {name: 'tour', settings: device};
	}

	switch (nameOrPath) {
		case 'mixed':
		case 'normal':
		case 'failure': {
			return {name: nameOrPath};
		}

		default: {
			break;
		}
	}

	let text: string;
	try {
		text = readFile(nameOrPath);
	} catch (error) {
		const code =
			typeof error === 'object' && error !== null && 'code' in error
				? error.code
				: undefined;
		throw new ScenarioError([
			code === 'ENOENT'
				? `scenario '${nameOrPath}' is neither a built-in scenario (${[...(device ? ['tour'] : []), ...builtInScenarios].join(', ')}) nor an existing file`
				: `${nameOrPath}: cannot read the scenario file: ${errorMessage(error)}`,
		]);
	}

	return {name: 'file', ...parseScenario(text, nameOrPath)};
}

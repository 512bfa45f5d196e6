// Which scenarios can play which device: the T/V/S scenarios play only the built-in
// device. Apart from core/emulator.ts and its scenarios, so that every command (which
// checks a --scenario it is given) does not load them all.
import type {DetectorSettings} from './rule-spec.js';

/** The scenarios of the T/V/S device. */
export const builtInScenarios = ['mixed', 'normal', 'failure'] as const;

/**
 * Why the scenario cannot play the device, or undefined: a T/V/S scenario named for a
 * declared device, whose codec would refuse every line it plays. `from` is where the name
 * came from, as the message names it.
 */
export function scenarioDeviceMismatch(
	scenarioName: string,
	from: string,
	device: DetectorSettings,
): string | undefined {
	return !device.profile.builtin &&
		(builtInScenarios as readonly string[]).includes(scenarioName)
		? `${from} ${scenarioName} plays the built-in T/V/S device, but config.yaml declares the device ${device.profile.name}: play its tour (${from} tour), or a scenario file of raw lines`
		: undefined;
}

/**
 * The scenario a device plays: a declared device plays its tour where config.yaml names a
 * built-in scenario, whose T/V/S lines its codec would refuse every one of.
 */
export function scenarioForDevice(
	nameOrPath: string,
	device: DetectorSettings,
): string {
	return !device.profile.builtin &&
		(builtInScenarios as readonly string[]).includes(nameOrPath)
		? 'tour'
		: nameOrPath;
}

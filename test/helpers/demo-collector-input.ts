// What the dashboard hands its collector, for a demo device writing into `dir`/data.
import {join} from 'node:path';
import {defaultConfig} from '../../source/core/config.js';
import type {CollectorInput} from '../../source/app/collector-protocol.js';

export function demoCollectorInput(
	dir: string,
	options: {rateHz: number; maxFps: number},
): CollectorInput {
	return {
		config: {
			...defaultConfig,
			output: {...defaultConfig.output, dir: join(dir, 'data')},
			emulator: {...defaultConfig.emulator, rate_hz: options.rateHz},
			ui: {...defaultConfig.ui, max_fps: options.maxFps},
		},
		configPath: join(dir, 'config.yaml'),
		configSource: 'defaults',
		overrides: {},
		demo: true,
		durationS: undefined,
	};
}

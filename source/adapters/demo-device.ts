// `--demo`: the emulator plays the device inside the monitor's own process, through
// serialport's mock binding, so `npm start` needs no hardware and no socat. The monitor
// reads the mock port through the same serial source as a real one.
import {Buffer} from 'node:buffer';
import {readFileSync} from 'node:fs';
import {SerialPortMock} from 'serialport';
import {detectorSettings, type Config} from '../core/config.js';
import {
	createScenario,
	resolveScenario,
	scenarioForDevice,
} from '../core/emulator.js';
import {runEmulator} from './emulator-runner.js';
import type {CreatePort} from './serial-source.js';

export type DemoDevice = {
	createPort: CreatePort;
	start(): void;
	stop(): Promise<void>;
};

export function startDemoDevice(
	config: Config,
	signal: AbortSignal,
): DemoDevice {
	// A declared device plays its own tour, in its format, as `emulate` does.
	const device = detectorSettings(config);
	const scenario = resolveScenario(
		scenarioForDevice(config.emulator.scenario, device),
		(path) => readFileSync(path, 'utf8'),
		device,
	);
	let port: SerialPortMock | undefined;
	let running: Promise<unknown> | undefined;
	const stopping = new AbortController();
	signal.addEventListener('abort', () => {
		stopping.abort();
	});

	return {
		createPort(path, baudRate) {
			// The mock binding keeps its ports in a module-level registry: reached through
			// SerialPortMock.binding, since a separate import of @serialport/binding-mock under
			// ESM is a second copy with a registry of its own. Reset, it holds only this port.
			SerialPortMock.binding.reset();
			SerialPortMock.binding.createPort(path, {echo: false, record: false});
			port = new SerialPortMock({path, baudRate, autoOpen: false});
			return port;
		},
		start() {
			// 0: as fast as the monitor takes them, as `emulate --rate 0` does.
			const rateHz = config.emulator.rate_hz;
			const steps = createScenario(scenario, {
				seed: config.emulator.seed,
				heartbeatTimeoutS: config.thresholds.heartbeat_timeout_s,
				thresholds: config.thresholds,
				rateHz,
				// The first minute of a demo shows every incident, each resolving (mixed only).
				tour: true,
			});
			running = runEmulator(
				steps,
				{
					async write(bytes) {
						port?.port?.emitData(Buffer.from(bytes));
					},
				},
				{rateHz, signal: stopping.signal},
			);
		},
		async stop() {
			stopping.abort();
			await running?.catch(() => undefined);
		},
	};
}

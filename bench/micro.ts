// A micro-benchmark of the per-line path inside one process (split, parse, detect, the
// output files), for comparing changes to those functions. Its figures are not what any
// command achieves: `npm run bench` (bench/run.ts) measures the commands users run.
// Run: node --expose-gc --import=tsx bench/micro.ts
import {Buffer} from 'node:buffer';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import process from 'node:process';
import {
	defaultConfig,
	protocolLimits,
	detectorSettings,
} from '../source/core/config.js';
import {createDetector} from '../source/core/detector.js';
import {createScenario} from '../source/core/emulator.js';
import {builtinProfile} from '../source/core/device-profile.js';
import {createLineSplitter} from '../source/core/line-splitter.js';
import {parseLine} from '../source/core/protocol.js';
import {openOutputFiles, outputPaths} from '../source/adapters/output-files.js';
import {createBatchPipeline, deviceCodec} from '../source/app/line-pipeline.js';

const lineCount = 200_000;
const chunkBytes = 4096;
const limits = protocolLimits(defaultConfig);

// The mixed scenario's bytes (with its ~1% corrupted lines), cut into port-sized chunks.
function mixedStream(): Uint8Array {
	const parts: Uint8Array[] = [];
	let lines = 0;
	for (const step of createScenario(
		{name: 'mixed'},
		{seed: 1, heartbeatTimeoutS: 5, thresholds: defaultConfig.thresholds},
	)) {
		if (step.kind === 'line') {
			parts.push(step.bytes, Buffer.from('\n'));
			if (++lines === lineCount) {
				break;
			}
		}
	}

	return Buffer.concat(parts);
}

function chunks(stream: Uint8Array): Uint8Array[] {
	const result: Uint8Array[] = [];
	for (let offset = 0; offset < stream.length; offset += chunkBytes) {
		result.push(stream.subarray(offset, offset + chunkBytes));
	}

	return result;
}

function measure(name: string, run: () => void): number {
	run(); // Warm-up.
	const start = process.hrtime.bigint();
	run();
	const seconds = Number(process.hrtime.bigint() - start) / 1e9;
	const rate = lineCount / seconds;
	console.log(
		`${name.padEnd(44)} ${Math.round(rate).toLocaleString('en').padStart(12)} lines/s`,
	);
	return rate;
}

const stream = mixedStream();
const input = chunks(stream);
const bytesPerLine = stream.length / lineCount;
// 115200 baud, 8N1: 10 bits a byte.
const serialLinesPerSecond = 115_200 / 10 / bytesPerLine;

console.log(
	`$ npm run bench   (node ${process.version}, ${lineCount.toLocaleString('en')} lines of the mixed scenario, ${bytesPerLine.toFixed(1)} bytes/line, ${chunkBytes}-byte chunks)`,
);
const splitOnly = measure('split', () => {
	const splitter = createLineSplitter(1024);
	for (const chunk of input) splitter.push(chunk);
});
const parse = measure('split + parse', () => {
	const splitter = createLineSplitter(1024);
	for (const chunk of input)
		for (const line of splitter.push(chunk)) parseLine(line, limits);
});
const detect = measure('split + parse + detect', () => {
	const splitter = createLineSplitter(1024);
	const detector = createDetector(detectorSettings(defaultConfig));
	let time = 0;
	let line = 0;
	for (const chunk of input) {
		time += 10;
		for (const bytes of splitter.push(chunk)) {
			const result = parseLine(bytes, limits);
			line++;
			detector.observe(
				result.ok
					? {time, line, reading: result.reading}
					: {time, line, error: result.reason},
			);
		}
	}
});
const dir = mkdtempSync(join(tmpdir(), 'serialwatch-bench-'));
const pipeline = measure(
	'whole pipeline (raw.log, CSV, errors, detect)',
	() => {
		const paths = outputPaths({
			...defaultConfig.output,
			dir: join(dir, String(Math.random())),
		});
		const files = openOutputFiles(
			paths,
			builtinProfile(protocolLimits(defaultConfig)),
		);
		const detector = createDetector(detectorSettings(defaultConfig));
		const flow = createBatchPipeline(deviceCodec(defaultConfig), detector, {
			metrics: files.metrics,
			errors: files.errors,
			events: () => undefined,
		});
		const splitter = createLineSplitter(1024);
		let time = 0;
		for (const chunk of input) {
			time += 10;
			const lines = splitter.push(chunk);
			flow.process(time, files.raw.append(time, lines), lines);
		}

		files.close();
	},
);

// Memory under a flood: 50 MB of garbage bytes (long runs without a newline, and malformed lines).
const heapBefore = process.memoryUsage().heapUsed;
{
	const splitter = createLineSplitter(1024);
	const detector = createDetector(detectorSettings(defaultConfig));
	const garbage = Buffer.alloc(chunkBytes);
	let line = 0;
	for (let index = 0; index < 12_800; index++) {
		for (let byte = 0; byte < garbage.length; byte++)
			garbage[byte] = (byte * 31 + index) % 256;
		for (const bytes of splitter.push(garbage)) {
			const result = parseLine(bytes, limits);
			line++;
			if (!result.ok)
				detector.observe({time: index, line, error: result.reason});
		}
	}
}

globalThis.gc?.();
const heapGrowthMb = (process.memoryUsage().heapUsed - heapBefore) / 1e6;
rmSync(dir, {recursive: true, force: true});

console.log('');
console.log(
	`115200 baud carries ${serialLinesPerSecond.toFixed(0)} lines/s of this size`,
);
console.log(
	`headroom of the whole pipeline over a 115200-baud line: ${(pipeline / serialLinesPerSecond).toFixed(0)}x (target >= 100x)`,
);
console.log(
	`cost of each stage, as a share of the whole pipeline's time: split ${((pipeline / splitOnly) * 100).toFixed(0)}%, parse ${((pipeline / parse - pipeline / splitOnly) * 100).toFixed(0)}%, detect ${((pipeline / detect - pipeline / parse) * 100).toFixed(0)}%, files ${((1 - pipeline / detect) * 100).toFixed(0)}%`,
);
console.log(
	`heap growth after 50 MB of garbage bytes: ${heapGrowthMb.toFixed(1)} MB (target: bounded, < 20 MB)`,
);
const ok = pipeline / serialLinesPerSecond >= 100 && heapGrowthMb < 20;
console.log(ok ? 'targets met' : 'TARGETS MISSED');
process.exitCode = ok ? 0 : 1;

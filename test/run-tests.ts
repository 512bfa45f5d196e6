// `npm test`'s test run: each test file in an AVA process of its own (test-file-runner.ts),
// two at a time, each with a hard time bound, so that one stuck file is killed, named and
// counted as failed and the run still ends. Then one line on the tests a missing tool set
// aside (helpers/require-tool.ts). Arguments: test files to run (all of them by default),
// and flags passed on to AVA (`--match`, `--verbose`...).
//   SERIALWATCH_TEST_JOBS            files run at once (2)
//   SERIALWATCH_TEST_FILE_TIMEOUT_S  a file's hard bound, in seconds (480)
import {mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {constants, tmpdir} from 'node:os';
import {createRequire} from 'node:module';
import {dirname, join, relative} from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import {inspectorGuard} from '../source/adapters/inspector-guard.js';
import {
	skippedTestsVariable,
	summarizeSkippedTests,
} from './helpers/skipped-tests.js';
import {
	describeFailure,
	runTestFiles,
	type FileOutcome,
} from './runner/test-file-runner.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const isTestFile = (name: string) => /\.test\.tsx?$/.test(name);

/** Every test file under test/, end-to-end ones first: they are the longest, and a run ends sooner with them started early. */
function allTestFiles(): string[] {
	const files = readdirSync(join(root, 'test'), {
		recursive: true,
		encoding: 'utf8',
	})
		.filter((name) => isTestFile(name) && !name.startsWith('fixtures'))
		.map((name) => join('test', name));
	const rank = (file: string) => (file.startsWith(join('test', 'e2e')) ? 0 : 1);
	return files.toSorted((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

function positiveNumber(name: string, fallback: number): number {
	const value = Number(process.env[name]);
	return Number.isFinite(value) && value > 0 ? value : fallback;
}

const arguments_ = process.argv.slice(2);
const chosen = arguments_.filter((argument) => /\.tsx?$/.test(argument));
const avaFlags = arguments_.filter((argument) => !chosen.includes(argument));
const files =
	chosen.length > 0
		? chosen.map((file) => relative(root, join(process.cwd(), file)))
		: allTestFiles();
const jobs = positiveNumber('SERIALWATCH_TEST_JOBS', 2);
const fileTimeoutMs =
	positiveNumber('SERIALWATCH_TEST_FILE_TIMEOUT_S', 480) * 1000;

// AVA's command line sits beside its main module (the package exports only the latter).
const ava = join(
	dirname(createRequire(import.meta.url).resolve('ava')),
	'cli.mjs',
);
// A directory of this run's own, so that a run never reads what another left.
const dir = mkdtempSync(join(tmpdir(), 'serialwatch-test-run-'));
const skippedFile = join(dir, 'skipped.jsonl');
const startedAt = Date.now();

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function printOutcome(outcome: FileOutcome): void {
	process.stdout.write(
		`\n── ${outcome.file} (${seconds(outcome.durationMs)})\n${outcome.output.trimEnd()}\n`,
	);
	if (outcome.status !== 'passed') {
		process.stdout.write(`\n  ${describeFailure(outcome, fileTimeoutMs)}\n`);
	}
}

// Ctrl-C, or CI giving up: the files' process groups are not in the terminal's foreground
// group, so the signal reaches only this process; it ends them and what they started.
const interrupted = new AbortController();
let exitSignal: NodeJS.Signals | undefined;
const onSignal = (signal: NodeJS.Signals) => {
	exitSignal = signal;
	process.stdout.write(`\n${signal}: stopping the test files that run\n`);
	interrupted.abort();
};

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
	process.once(signal, onSignal);
}

try {
	process.stdout.write(
		`${files.length} test files, ${jobs} at a time, each bounded to ${seconds(fileTimeoutMs)}\n`,
	);
	const outcomes = await runTestFiles({
		files,
		jobs,
		fileTimeoutMs,
		commandFor: (file) => [
			process.execPath,
			inspectorGuard,
			ava,
			file,
			...avaFlags,
		],
		signal: interrupted.signal,
		env: {...process.env, [skippedTestsVariable]: skippedFile},
		onFileDone: printOutcome,
	});
	const failed = outcomes.filter(({status}) => status !== 'passed');
	process.stdout.write(
		`\n${outcomes.length - failed.length} of ${outcomes.length} test files passed in ${seconds(Date.now() - startedAt)}\n`,
	);
	for (const outcome of failed) {
		process.stdout.write(`  ${describeFailure(outcome, fileTimeoutMs)}\n`);
	}

	const summary = summarizeSkippedTests(skippedFile);
	if (summary) {
		process.stdout.write(`\n  ${summary}\n`);
	}

	process.exitCode = exitSignal
		? 128 + constants.signals[exitSignal]
		: failed.length > 0
			? 1
			: 0;
} finally {
	rmSync(dir, {recursive: true, force: true});
}

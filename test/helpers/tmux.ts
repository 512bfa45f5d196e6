// A real terminal for end-to-end tests of the dashboard: tmux runs the command in a
// detached session of a chosen size; tests type with send-keys and read the screen with
// capture-pane. Without tmux the test says so; under CI it fails.
import {join} from 'node:path';
import process from 'node:process';
import {execFileSync, spawnSync} from 'node:child_process';
import type {ExecutionContext} from 'ava';
import {requireTool} from './require-tool.js';
import {temporaryDirectory} from './temporary-directory.js';
import {waitUntil} from './wait-until.js';

export function requireTmux(t: ExecutionContext): boolean {
	return requireTool(t, {
		name: 'tmux',
		available: spawnSync('tmux', ['-V']).status === 0,
		purpose: 'a real terminal',
		install: 'apt-get install tmux',
	});
}

export type Terminal = {
	/** The screen as text, one line per row. */
	screen(): string;
	/** The screen with its colour and style escapes. */
	styledScreen(): string;
	/** Waits until the screen matches; the failure shows the screen. */
	waitForScreen(pattern: RegExp, timeoutMs?: number): Promise<string>;
	sendKeys(...keys: string[]): void;
	/** Whether the program still holds the alternate screen. */
	alternateScreen(): boolean;
	/** Closes the terminal, as a dropped SSH session does (the program gets SIGHUP). */
	kill(): void;
	/** The pane's shell: the command runs as its child. */
	panePid(): number;
	/** Waits until the command has ended and returns its exit code (the `EXIT=` the pane prints). */
	waitForExit(timeoutMs?: number): Promise<number>;
};

let sessions = 0;

export function openTerminal(
	t: ExecutionContext,
	command: string,
	options: {columns: number; rows: number; cwd?: string},
): Terminal {
	const name = `serialwatch-test-${process.pid}-${++sessions}`;
	// A server of its own, away from the user's sessions, its socket in a directory that
	// goes at the end (tmux leaves the socket file behind when its server exits).
	const socket = join(temporaryDirectory(t, 'terminal'), 'socket');
	const tmux = (...args: string[]) =>
		execFileSync('tmux', ['-S', socket, ...args], {encoding: 'utf8'});
	// The pane stays after the command ends, so its last screen and exit can be read.
	tmux(
		'new-session',
		'-d',
		'-s',
		name,
		'-x',
		String(options.columns),
		'-y',
		String(options.rows),
		'-c',
		options.cwd ?? process.cwd(),
		// A person's terminal: CI's variables would make serialwatch headless.
		`unset CI CONTINUOUS_INTEGRATION; ${command}; echo "EXIT=$?"; sleep 3600`,
	);
	t.teardown(() => {
		spawnSync('tmux', ['-S', socket, 'kill-server']);
	});
	const screen = () => tmux('capture-pane', '-p', '-t', name);
	const waitForScreen = async (pattern: RegExp, timeoutMs?: number) => {
		try {
			await waitUntil(() => pattern.test(screen()), `${pattern}`, timeoutMs);
		} catch (error) {
			t.log(screen());
			throw error;
		}

		return screen();
	};

	return {
		screen,
		styledScreen: () => tmux('capture-pane', '-p', '-e', '-t', name),
		waitForScreen,
		panePid: () =>
			Number(tmux('display-message', '-p', '-t', name, '#{pane_pid}').trim()),
		async waitForExit(timeoutMs) {
			const shown = await waitForScreen(/EXIT=\d+/, timeoutMs);
			return Number(/EXIT=(\d+)/.exec(shown)![1]);
		},
		sendKeys(...keys) {
			tmux('send-keys', '-t', name, ...keys);
		},
		alternateScreen: () =>
			tmux('display-message', '-p', '-t', name, '#{alternate_on}').trim() ===
			'1',
		kill() {
			spawnSync('tmux', ['-S', socket, 'kill-session', '-t', name]);
		},
	};
}

// The terminal's size, updated on resize. Read through useSyncExternalStore, so that a
// resize that comes before the subscription (during start-up) is not missed: React reads
// the size again when it subscribes.
import {useStdout} from 'ink';
import {useCallback, useSyncExternalStore} from 'react';

export type TerminalSize = {columns: number; rows: number};

export function useTerminalSize(): TerminalSize {
	const {stdout} = useStdout();
	const subscribe = useCallback(
		(onChange: () => void) => {
			stdout.on('resize', onChange);
			return () => {
				stdout.off('resize', onChange);
			};
		},
		[stdout],
	);
	// A string, so that an unchanged size is the same snapshot and draws nothing.
	const size = useSyncExternalStore(
		subscribe,
		() => `${stdout.columns || 80}x${stdout.rows || 24}`,
	);
	const [columns, rows] = size.split('x').map(Number);
	return {columns: columns!, rows: rows!};
}

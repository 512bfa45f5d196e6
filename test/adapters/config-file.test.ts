import {truncateSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
import {loadConfig} from '../../source/adapters/config-file.js';
import {ConfigError} from '../../source/core/config.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';

test('a config file over 1 MiB is refused unread, naming the file and the limit', (t) => {
	const dir = temporaryDirectory(t, 'big-config');
	// A 50 MB string value: accepted after 16 s at 1.8 GB before the bound.
	const path = join(dir, 'config.yaml');
	writeFileSync(path, `serial:\n  port: "${'x'.repeat(50 * 1024 * 1024)}"\n`);
	const error = t.throws(() => loadConfig(path), {instanceOf: ConfigError});
	t.deepEqual(error?.problems, [
		`${path}: the file is larger than 1048576 bytes (1 MiB), the most a config file may be`,
	]);
	// Unread: a file of 64 GiB (sparse, it takes no disk) is refused the same way, where a
	// reader of the whole file would fail for want of memory.
	const huge = join(dir, 'huge.yaml');
	writeFileSync(huge, 'serial:\n');
	truncateSync(huge, 64 * 1024 ** 3);
	const hugeError = t.throws(() => loadConfig(huge), {
		instanceOf: ConfigError,
	});
	t.deepEqual(hugeError?.problems, [
		`${huge}: the file is larger than 1048576 bytes (1 MiB), the most a config file may be`,
	]);
});

test('a config file of exactly 1 MiB is read', (t) => {
	const path = join(temporaryDirectory(t, 'big-config'), 'config.yaml');
	const head = 'serial:\n  port: /dev/ttyX\n#';
	writeFileSync(path, `${head}${'x'.repeat(1_048_576 - head.length)}`);
	t.is(loadConfig(path).serial.port, '/dev/ttyX');
});

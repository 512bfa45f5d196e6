import {chmodSync, writeFileSync} from 'node:fs';
import {delimiter, join} from 'node:path';
import process from 'node:process';
import test from 'ava';
import {isOnPath} from '../../source/adapters/executable-on-path.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';

test.serial('finds executables in PATH directories, not plain files', (t) => {
	const dir = temporaryDirectory(t, 'path');
	writeFileSync(join(dir, 'tool'), '#!/bin/sh\n');
	chmodSync(join(dir, 'tool'), 0o755);
	writeFileSync(join(dir, 'notes'), 'not a program');
	const path = process.env['PATH'];
	process.env['PATH'] = ['', '/nonexistent', dir].join(delimiter);
	try {
		t.true(isOnPath('tool'));
		t.false(isOnPath('notes'));
		t.false(isOnPath('absent'));
	} finally {
		process.env['PATH'] = path;
	}
});

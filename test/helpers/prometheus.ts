// Tests against Prometheus's own tools: promtool to check what we write, prometheus to
// scrape a real run. Debian's `prometheus` package has both.
import type {ExecutionContext} from 'ava';
import {isOnPath} from '../../source/adapters/executable-on-path.js';
import {requireTool} from './require-tool.js';

export function requirePromtool(t: ExecutionContext): boolean {
	return requireTool(t, {
		name: 'promtool',
		available: isOnPath('promtool'),
		purpose: "Prometheus's own checks",
		install: 'apt-get install prometheus',
	});
}

export function requirePrometheus(t: ExecutionContext): boolean {
	return requireTool(t, {
		name: 'prometheus',
		available: isOnPath('prometheus'),
		purpose: 'a real Prometheus to scrape the exporter',
		install: 'apt-get install prometheus',
	});
}

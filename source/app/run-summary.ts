// The human summary printed on stderr when a run ends.
import type {ReportSummary} from '../core/report-summary.js';
import type {PipelineStats} from '../app/line-pipeline.js';
import type {OutputPaths} from '../adapters/output-files.js';
import type {SessionResult} from './monitor-session.js';
import type {ObserverHealth} from './run-observer.js';

export function formatSummary(run: {
	source: string;
	/** Left out for batch runs, where wall time says nothing about the device. */
	seconds?: number;
	skipped?: number;
	stats: PipelineStats;
	report: ReportSummary;
	paths: Partial<OutputPaths>;
	integrations?: readonly ObserverHealth[];
}): string {
	const {stats, report} = run;
	const {ongoing} = report;
	const kinds = Object.entries(report.byType)
		.map(([type, count]) => `${type} ${count}`)
		.join(', ');
	const files = [
		run.paths.raw,
		run.paths.metrics,
		run.paths.errors,
		run.paths.report,
	]
		.filter(Boolean)
		.join(', ');
	return [
		`serialwatch: ${stats.lines} ${stats.lines === 1 ? 'line' : 'lines'} (${stats.valid} valid, ${stats.malformed} malformed) from ${run.source}${run.seconds === undefined ? '' : ` in ${run.seconds.toFixed(1)} s`}${run.skipped ? `, ${run.skipped} ${run.skipped === 1 ? 'line' : 'lines'} skipped` : ''}`,
		`incidents: ${report.incidents}${ongoing > 0 ? ` (${ongoing} ongoing)` : ''}${kinds ? `: ${kinds}` : ''}`,
		`files: ${files}`,
		...(run.integrations ?? []).map(
			(health) =>
				`${health.name}: ${health.ok ? '' : 'FAILING: '}${health.detail}`,
		),
		'',
	].join('\n');
}

/** How a monitoring run ends: its exit code, and what stderr says (the failure, or the summary). */
export function runOutcome(
	result: SessionResult,
	source: string,
	paths: OutputPaths,
): {code: number; message: string} {
	if (result.failure) {
		return {code: 1, message: `serialwatch: stopped: ${result.failure}\n`};
	}

	return {
		code: 0,
		message: formatSummary({
			source,
			seconds: (result.stoppedAt - result.startedAt) / 1000,
			stats: result.stats,
			report: result.report,
			paths,
			integrations: result.integrations,
		}),
	};
}

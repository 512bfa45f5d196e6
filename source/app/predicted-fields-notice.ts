// /metrics' series are those of the settings the run started with (prom-client keeps a
// series once written): a predict rule added or removed live is judged at once, but its
// gauge series follows only from the next start, and a user reading /metrics must know.
import {detectorSettings, type Config} from '../core/config.js';
import type {DetectorSettings} from '../core/rule-spec.js';
import {predictedBreachFields} from './run-metrics.js';

/** Says, at a retune to `next`, that the gauge keeps the fields the run started with, where they differ. */
export function createPredictedFieldsNotice(
	config: Config,
	onNotice: (notice: string) => void,
): (next: DetectorSettings) => void {
	const atStart = predictedBreachFields(detectorSettings(config));
	return (next) => {
		if (config.exporters.prometheus.listen === null) {
			return;
		}

		const fields = predictedBreachFields(next);
		const same =
			fields.size === atStart.size &&
			[...fields].every((field) => atStart.has(field));
		if (!same) {
			const list = [...atStart].join(', ') || 'none';
			onNotice(
				`/metrics: serialwatch_predicted_breach_seconds keeps the fields the run started with (${list}); restart to follow the predict rules as edited`,
			);
		}
	};
}

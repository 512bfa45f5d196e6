// A time-to-threshold prediction, as the screen, /metrics and the sinks show it: a field's
// trend (a least-squares slope over its recent readings, as Prometheus's predict_linear) that
// reaches its critical band within the rule's horizon.

export type Prediction = {
	/** The field, by name. */
	readonly field: string;
	/** The incident type of the predict rule that holds it (`PREDICTED_BREACH_TEMPERATURE`). */
	readonly type: string;
	/** The band edge the trend reaches (the field's crit level, in its unit). */
	readonly target: number;
	/** Towards a band above (rising) or below (falling). */
	readonly direction: 'rising' | 'falling';
	/**
	 * When the trend reaches the target: epoch milliseconds on the wall clock's time line
	 * (the detector's predictions(now) translates from its own, which a clock step back
	 * puts ahead).
	 */
	readonly crossingAt: number;
	/** The slope, in the field's unit per second. */
	readonly ratePerS: number;
};

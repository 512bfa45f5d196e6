// What the alert sinks tell the exporter: each delivery and each loss, by sink name, so that
// serialwatch_notifications_total and serialwatch_notifications_failed_total count them.
// The sinks get this object whether or not the exporter is on (then it counts nothing).

export type IntegrationMetrics = {
	/** An event reached the sink's peer (a 2xx answer). */
	notificationSent(sink: string): void;
	/** An event that will never arrive: rejected by the peer, out of retries, or dropped from a full queue. */
	notificationFailed(sink: string): void;
};

export const uncountedIntegrationMetrics: IntegrationMetrics = {
	notificationSent() {
		// The exporter is off: nobody reads the count.
	},
	notificationFailed() {
		// The exporter is off: nobody reads the count.
	},
};

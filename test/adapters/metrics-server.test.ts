import test from 'ava';
import {
	parseListenAddress,
	serveMetrics,
} from '../../source/adapters/metrics-server.js';

test('listen addresses: host and port, IPv6 in brackets, no host for every address', (t) => {
	t.deepEqual(parseListenAddress('127.0.0.1:9464'), {
		host: '127.0.0.1',
		port: 9464,
	});
	t.deepEqual(parseListenAddress('[::1]:9464'), {host: '::1', port: 9464});
	t.deepEqual(parseListenAddress(':9464'), {host: undefined, port: 9464});
});

test('/-/healthy is 503 when the run says it is not running; a failed collection is a 500', async (t) => {
	let healthy = true;
	const server = await serveMetrics(
		'127.0.0.1:0',
		{
			contentType: 'text/plain; version=0.0.4; charset=utf-8',
			async metrics() {
				throw new Error('collector gone');
			},
		},
		() => healthy,
	);
	t.teardown(async () => server.close());
	const status = async (path: string) => {
		const response = await fetch(`http://${server.address}${path}`);
		return {status: response.status, text: await response.text()};
	};

	t.deepEqual(await status('/-/healthy'), {
		status: 200,
		text: 'serialwatch is running.\n',
	});
	healthy = false;
	t.deepEqual(await status('/-/healthy'), {
		status: 503,
		text: 'serialwatch is stopping.\n',
	});
	t.deepEqual(await status('/metrics'), {
		status: 500,
		text: 'metrics failed: collector gone\n',
	});
	t.is(server.scrapes(), 1);
});

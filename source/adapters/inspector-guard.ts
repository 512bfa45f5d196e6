// Until a process has a SIGUSR1 listener, Node.js takes that signal to open its inspector,
// through which any local user could run code as the monitor's user. Node's own start-up,
// before any of our code can install a listener, takes 50-100 ms. For that window this
// option points the inspector at an address of the documentation range (RFC 5737) that no
// host has, so it fails to listen. Every Node.js process the package starts on its code
// gets it: dist/cli.js's `#!` line (which cannot import this, and a test keeps equal), the
// npm scripts, the dashboard's collector, the bench and soak runs. Node.js 22.14 has
// --disable-sigusr1 for this; Node.js 20 has not.
export const inspectorGuard = '--inspect-port=192.0.2.1:9229';

/**
 * Free ports on this machine's loopback interface, for a port forward's local end (the plugin
 * listens there). A probe binds and closes at once; the plugin binds for real moments later, and
 * says so if another program took the port in between.
 */
import { createServer } from 'node:net';

/** True when nothing listens on 127.0.0.1:port and this user may bind it. */
export function isLocalPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen({ port, host: '127.0.0.1', exclusive: true }, () => s.close(() => resolve(true)));
  });
}

/** A port the system considers free on 127.0.0.1 (bind to port 0, read it, close). */
export function anyFreeLocalPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
      const a = s.address();
      const port = a && typeof a === 'object' ? a.port : 0;
      s.close(() => (port ? resolve(port) : reject(new Error('no free local port'))));
    });
  });
}

/**
 * Stand-ins on loopback TCP for what a network device's address may turn out to be: a port
 * where nothing listens, and a server that is not the device (it greets with something else, or
 * accepts and says nothing). Tests connect the real clients to them.
 */
import { createServer, type Server, type Socket } from 'node:net';

/** A loopback port nothing listens on (bound, then released). */
export async function closedLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A loopback server that greets every connection with `greeting` and hangs up, or (null) says nothing at all. */
export async function greetingServer(greeting: string | null): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    socket.on('error', () => {});
    sockets.add(socket);
    if (greeting) socket.end(greeting);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: () => {
      sockets.forEach((socket) => socket.destroy());
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

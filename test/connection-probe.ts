/**
 * Sees every TCP connection this test process opens (node's `net.client.socket` diagnostics
 * channel: each client socket, then its `connect` event), so outbound tests can prove that a
 * refused destination was never connected to, and that nothing but loopback ever was.
 */
import dc from "node:diagnostics_channel";
import type { Socket } from "node:net";

export type ConnectionProbe = {
  /** Remote addresses of sockets that connected since the probe started (or was cleared). */
  readonly connected: string[];
  clear(): void;
  stop(): void;
};

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;
export const isLoopback = (address: string) => LOOPBACK.test(address);

export function probeConnections(): ConnectionProbe {
  const connected: string[] = [];
  const onSocket = (message: unknown) => {
    const { socket } = message as { socket: Socket };
    socket.once("connect", () => connected.push(socket.remoteAddress ?? "?"));
  };
  dc.subscribe("net.client.socket", onSocket);
  return {
    connected,
    clear: () => connected.splice(0),
    stop: () => dc.unsubscribe("net.client.socket", onSocket),
  };
}

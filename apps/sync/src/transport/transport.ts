/** What server.ts needs from a running transport (node.ts or uws.ts). */
export type Transport = {
  readonly name: 'node' | 'uws';
  readonly port: number;
  /** Closes the listening socket: no new connections, open ones keep working. */
  stopAccepting(): Promise<void>;
  /** Closes every connection that is left. */
  close(): Promise<void>;
};

/** The bytes one socket has sent before authenticating (held by that socket's session). */
export type UnauthenticatedAccount = { bytes: number };

export type BudgetAnswer = 'ok' | 'over_socket_budget' | 'over_server_budget';

/**
 * Memory that sockets without a single authenticated document can make the server hold
 * (SPEC.md SY27). Hocuspocus queues every frame a socket sends for a document until that
 * document has authenticated; without a bound, a few hundred sockets with one large frame
 * each hold gigabytes. Each socket gets a small budget, and all of them together a larger
 * one, so a flood of sockets cannot add up either.
 */
export class UnauthenticatedBudget {
  private readonly perSocket: number;
  private readonly overall: number;
  private used = 0;

  constructor({ perSocket, overall }: { perSocket: number; overall: number }) {
    this.perSocket = perSocket;
    this.overall = overall;
  }

  /** Takes `size` bytes for `account`, or says which budget it would overrun (and takes nothing). */
  take(account: UnauthenticatedAccount, size: number): BudgetAnswer {
    if (account.bytes + size > this.perSocket) return 'over_socket_budget';
    if (this.used + size > this.overall) return 'over_server_budget';
    account.bytes += size;
    this.used += size;
    return 'ok';
  }

  /** The socket authenticated or closed: its queued frames are Hocuspocus' to drain or drop. */
  release(account: UnauthenticatedAccount): void {
    this.used -= account.bytes;
    account.bytes = 0;
  }

  get total(): number {
    return this.used;
  }
}

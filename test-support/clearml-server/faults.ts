// Fault injection for tests: make the Nth call of an endpoint fail with a server error, cut the
// connection of an upload or a download part-way, slow an endpoint down, or let something happen
// on the server just before a call is served (another client acting in between).
import type { ServerState } from './state';

interface CallFault {
  readonly endpoint: string;
  remaining: number;
  readonly status: number;
}

interface CutFault {
  remaining: number;
  readonly afterBytes: number;
}

/** The faults armed on a test server; each fires once. */
export class FaultPlan {
  private readonly callFaults: CallFault[] = [];
  private readonly uploadCuts: CutFault[] = [];
  private readonly downloadCuts: CutFault[] = [];
  private readonly delays = new Map<string, number>();
  private readonly hooks: Array<{ endpoint: string; run: (state: ServerState) => void }> = [];

  /** The nth call (1 = the next one) of `endpoint` answers HTTP `status` with an error envelope. */
  failCall(endpoint: string, nth = 1, status = 500): void {
    this.callFaults.push({ endpoint, remaining: nth, status });
  }

  /** The nth upload (1 = the next one) to the file server is cut after `afterBytes` of its body. */
  cutUpload(nth = 1, afterBytes = 1024): void {
    this.uploadCuts.push({ remaining: nth, afterBytes });
  }

  /** The nth download (1 = the next one) from the file server is cut after `afterBytes` of its body. */
  cutDownload(nth = 1, afterBytes = 1024): void {
    this.downloadCuts.push({ remaining: nth, afterBytes });
  }

  /** Every call of `endpoint` waits `ms` before it is answered (0 removes the delay). */
  delay(endpoint: string, ms: number): void {
    if (ms > 0) this.delays.set(endpoint, ms);
    else this.delays.delete(endpoint);
  }

  /** Just before the next call of `endpoint` is served, `run` changes the server's state (once). */
  beforeCall(endpoint: string, run: (state: ServerState) => void): void {
    this.hooks.push({ endpoint, run });
  }

  /** Runs and removes the hooks armed for this call of `endpoint`. */
  runHooks(endpoint: string, state: ServerState): void {
    for (let i = 0; i < this.hooks.length; i++) {
      if (this.hooks[i]!.endpoint !== endpoint) continue;
      const [hook] = this.hooks.splice(i, 1);
      hook!.run(state);
      return;
    }
  }

  /** Consumes this call's turn; returns the HTTP status to fail with, if a fault fires now. */
  onCall(endpoint: string): number | undefined {
    return fire(this.callFaults.filter((f) => f.endpoint === endpoint), this.callFaults)?.status;
  }

  /** Consumes this upload's turn; returns after how many bytes to cut it, if a fault fires now. */
  onUpload(): number | undefined {
    return fire(this.uploadCuts, this.uploadCuts)?.afterBytes;
  }

  /** Consumes this download's turn; returns after how many bytes to cut it, if a fault fires now. */
  onDownload(): number | undefined {
    return fire(this.downloadCuts, this.downloadCuts)?.afterBytes;
  }

  delayOf(endpoint: string): number {
    return this.delays.get(endpoint) ?? 0;
  }
}

function fire<T extends { remaining: number }>(candidates: T[], all: T[]): T | undefined {
  let fired: T | undefined;
  for (const fault of candidates) {
    fault.remaining -= 1;
    if (fault.remaining === 0 && !fired) fired = fault;
  }
  for (let i = all.length - 1; i >= 0; i--) if (all[i]!.remaining <= 0) all.splice(i, 1);
  return fired;
}

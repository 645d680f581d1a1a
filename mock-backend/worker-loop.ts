// The loop the mail and webhook workers share: a pass runs when the bus says work was queued, on a
// poll for what came due, and at once when started; a kick during a pass asks for one more pass
// after it (never two at a time), and a pass that found a full batch runs again.
import type { Bus, Signal } from './domain/context.ts';

export interface WorkerLoop {
  /** Runs one pass now and waits for it (and for a pass under way). */
  flush(): Promise<void>;
  /** No pass starts after this; waits for the one under way. */
  stop(): Promise<void>;
}

export function startWorkerLoop(o: {
  /** For the log line of a failed pass: e.g. 'Mail delivery'. */
  name: string;
  bus: Bus;
  wakeOn: Signal['type'];
  pollMs: number;
  /** One batch; true when more may be due now. `stopped()` turns true once stop() was called. */
  step(stopped: () => boolean): Promise<boolean>;
}): WorkerLoop {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const isStopped = () => stopped;

  async function pass(): Promise<void> {
    do {
      again = false;
      if (await o.step(isStopped)) again = true;
    } while (again && !stopped);
  }

  function kick(): Promise<void> {
    if (stopped) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    // A failed pass (the store unreachable) is logged and tried again on the next kick or poll.
    running = pass()
      .catch((e: unknown) => console.error(`${o.name} pass failed`, e))
      .finally(() => {
        running = null;
      });
    return running;
  }

  const unsubscribe = o.bus.subscribe((s) => {
    if (s.type === o.wakeOn) void kick();
  });
  const timer = setInterval(() => void kick(), o.pollMs);
  timer.unref?.();
  void kick();

  return {
    flush: async () => {
      await running;
      await kick();
    },
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      unsubscribe();
      await running;
    },
  };
}

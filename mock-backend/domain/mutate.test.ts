// mutate(): one change, one transaction, its own signals, published once it committed.
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../store/memory.ts';
import type { Store } from '../store/types.ts';
import { harness } from '../testing.ts';
import { type Ctx, mutate, type Signal } from './context.ts';

function published(ctx: Ctx): Signal[] {
  const seen: Signal[] = [];
  ctx.bus.subscribe((s) => seen.push(s));
  return seen;
}

const signal = (id: number): Signal => ({ type: 'events', recipients: [id] });

describe('mutate', () => {
  it('runs the change on the transaction, never on the root store', async () => {
    const h = await harness();
    const seenStore = await mutate(h.ctx, async (ctx) => ctx.store);
    expect(seenStore).not.toBe(h.ctx.store);
    expect('pending' in h.ctx).toBe(false);
  });

  it('keeps the signals of two concurrent changes apart: each published once, after its commit', async () => {
    const h = await harness();
    const seen = published(h.ctx);
    let open = () => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const first = mutate(h.ctx, async (ctx) => {
      ctx.pending.push(signal(1));
      await gate;
      ctx.pending.push(signal(2));
    });
    const second = mutate(h.ctx, async (ctx) => {
      ctx.pending.push(signal(3));
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(seen).toEqual([]);
    open();
    await Promise.all([first, second]);
    expect(seen).toEqual([signal(1), signal(2), signal(3)]);
  });

  it('publishes nothing of a change that throws', async () => {
    const h = await harness();
    const seen = published(h.ctx);
    await expect(
      mutate(h.ctx, async (ctx) => {
        ctx.pending.push(signal(1));
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(seen).toEqual([]);
  });

  it('drops the signals of an attempt the store ran again (as PostgreSQL does on a serialization failure)', async () => {
    const inner = createMemoryStore();
    let attempts = 0;
    // Runs `fn` once and rolls that attempt back, then runs it again for real.
    const retrying: Store = {
      ...inner,
      async transaction(fn) {
        await inner
          .transaction(async (tx) => {
            await fn(tx);
            throw new Error('serialization failure');
          })
          .catch(() => {});
        return inner.transaction(fn);
      },
    };
    const h = await harness({ store: retrying });
    const seen = published(h.ctx);
    await mutate(h.ctx, async (ctx) => {
      attempts++;
      ctx.pending.push(signal(attempts));
    });
    expect(attempts).toBe(2);
    expect(seen).toEqual([signal(2)]);
  });

  it('inside another change, leaves its signals to the outer one to publish', async () => {
    const h = await harness();
    const seen = published(h.ctx);
    await mutate(h.ctx, async (outer) => {
      await mutate(outer, async (ctx) => {
        ctx.pending.push(signal(1));
      });
      expect(seen).toEqual([]);
    });
    expect(seen).toEqual([signal(1)]);
  });
});

import { describe, expect, it } from 'vitest';
import { BlockBuffers } from '../../../src/main/ingest/block-buffers';

describe('BlockBuffers', () => {
  it('hands out exact-length views, new buffers of at least minBytes while none is free', () => {
    const buffers = new BlockBuffers(100, 2);
    const a = buffers.take(40);
    const b = buffers.take(250);
    expect(a.byteLength).toBe(40);
    expect(a.buffer.byteLength).toBe(100);
    expect(b.byteLength).toBe(250);
    expect(b.buffer.byteLength).toBe(250);
    expect(a.buffer).not.toBe(b.buffer);
  });

  it('reuses a returned buffer that is large enough, and only once', () => {
    const buffers = new BlockBuffers(100, 2);
    const first = buffers.take(80);
    buffers.give(first.buffer as ArrayBuffer);
    const again = buffers.take(90);
    expect(again.buffer).toBe(first.buffer);
    expect(again.byteLength).toBe(90);
    expect(buffers.take(90).buffer).not.toBe(first.buffer); // no longer free
  });

  it('does not reuse a buffer that is too small, keeps at most maxFree, ignores detached buffers', () => {
    const buffers = new BlockBuffers(10, 2);
    const small = buffers.take(10).buffer as ArrayBuffer;
    buffers.give(small);
    const big = buffers.take(50);
    expect(big.buffer).not.toBe(small);
    buffers.give(big.buffer as ArrayBuffer);
    buffers.give(buffers.take(60).buffer as ArrayBuffer);
    expect(buffers.freeCount).toBe(2);
    buffers.give(new ArrayBuffer(10));
    expect(buffers.freeCount).toBe(2);
    const detached = new ArrayBuffer(64);
    structuredClone(detached, { transfer: [detached] });
    const other = new BlockBuffers(10, 5);
    other.give(detached);
    expect(other.freeCount).toBe(0);
  });
});

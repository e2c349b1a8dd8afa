import { Piscina } from 'piscina';

/** Wraps a result so piscina transfers (not copies) the listed ArrayBuffers back to main. */
export function withTransfer<T extends object>(value: T, buffers: ArrayBuffer[]): T {
  const unique = [...new Set(buffers)];
  return Piscina.move({
    get [Piscina.transferableSymbol]() {
      return unique;
    },
    get [Piscina.valueSymbol]() {
      return value;
    },
  } as never) as unknown as T;
}

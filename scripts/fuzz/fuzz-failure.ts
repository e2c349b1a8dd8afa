/** A bug found by a fuzz case: a broken invariant (the code's own thrown errors are bugs too). */
export class FuzzFailure extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FuzzFailure';
  }
}

/** Error codes of Flowlab (one table, like fflate's FlateErrorCode). */
export const ErrorCode = {
  /** Input is not a pcap/pcapng file (or a gzip of one). */
  unknownFormat: 'UNKNOWN_FORMAT',
  /** A header or record length is impossible; parsing stopped there. */
  badRecord: 'BAD_RECORD',
  /** The file ends inside a record. */
  truncated: 'TRUNCATED',
  /** File cannot be opened or read. */
  io: 'IO',
  /** Work was cancelled by the user (not a failure). */
  cancelled: 'CANCELLED',
  /** A filter expression or argument is invalid. */
  invalidArgument: 'INVALID_ARGUMENT',
  /** The case file is unusable (schema too new, locked, corrupt). */
  caseUnusable: 'CASE_UNUSABLE',
  internal: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The one error class of Flowlab: message says what was expected, what was found, and where. */
export class FlowlabError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FlowlabError';
    this.code = code;
  }
}

/** True for a cancellation, which is never reported as a failure. */
export function isCancellationError(error: unknown): boolean {
  return (
    (error instanceof FlowlabError && error.code === ErrorCode.cancelled) ||
    (error instanceof Error && error.name === 'AbortError')
  );
}

/** Plain-object form of an error for crossing a process or worker boundary. */
export interface SerializedError {
  name: string;
  message: string;
  code: string;
  stack?: string;
  cause?: SerializedError;
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const result: SerializedError = {
      name: error.name,
      message: error.message,
      code: typeof code === 'string' ? code : ErrorCode.internal,
    };
    if (error.stack) result.stack = error.stack;
    if (error.cause !== undefined) result.cause = serializeError(error.cause);
    return result;
  }
  return { name: 'Error', message: String(error), code: ErrorCode.internal };
}

export function deserializeError(serialized: SerializedError): FlowlabError {
  const known = Object.values(ErrorCode) as string[];
  const code = (known.includes(serialized.code) ? serialized.code : ErrorCode.internal) as ErrorCode;
  const error = new FlowlabError(code, serialized.message, serialized.cause ? { cause: deserializeError(serialized.cause) } : undefined);
  if (serialized.stack) error.stack = serialized.stack;
  return error;
}

/** Formats a byte offset as in error messages: 0x3f20. */
export function hexOffset(offset: number): string {
  return '0x' + offset.toString(16);
}

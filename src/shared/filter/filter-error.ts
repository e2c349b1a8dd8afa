/** Errors of the filter language: a FlowlabError (INVALID_ARGUMENT) that knows where it happened. */
import { ErrorCode, FlowlabError } from '../errors';

/** A filter expression is invalid; `position` is the 0-based character offset of the problem. */
export class FilterSyntaxError extends FlowlabError {
  readonly position: number;
  constructor(message: string, position: number) {
    super(ErrorCode.invalidArgument, message);
    this.name = 'FilterSyntaxError';
    this.position = position;
  }
}

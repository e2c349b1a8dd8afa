/** Gaussian elimination with partial pivoting: the solution of A·x = b and the inverse of A (small, dense A). */
import { ErrorCode, FlowlabError } from '../../shared/errors';

export function solveLinearSystem(matrix: readonly number[][], rhs: readonly number[]): { solution: number[]; inverse: number[][] } {
  const n = matrix.length;
  // Augmented [A | I | b]: one elimination gives the inverse and the solution.
  const rows = matrix.map((line, i) => [...line, ...matrix.map((_, j) => (i === j ? 1 : 0)), rhs[i]!]);
  for (let column = 0; column < n; column++) {
    let pivot = column;
    for (let r = column + 1; r < n; r++) if (Math.abs(rows[r]![column]!) > Math.abs(rows[pivot]![column]!)) pivot = r;
    const scale = Math.max(...matrix.map((line) => Math.abs(line[column]!)), 1e-300);
    if (Math.abs(rows[pivot]![column]!) <= 1e-12 * scale)
      throw new FlowlabError(ErrorCode.invalidArgument, 'The regressors are collinear (or one is constant): no unique least-squares fit');
    [rows[column], rows[pivot]] = [rows[pivot]!, rows[column]!];
    const lead = rows[column]!;
    const divisor = lead[column]!;
    for (let c = 0; c < lead.length; c++) lead[c]! /= divisor;
    for (let r = 0; r < n; r++) {
      if (r === column) continue;
      const factor = rows[r]![column]!;
      if (factor === 0) continue;
      for (let c = 0; c < lead.length; c++) rows[r]![c]! -= factor * lead[c]!;
    }
  }
  return { solution: rows.map((line) => line[2 * n]!), inverse: rows.map((line) => line.slice(n, 2 * n)) };
}

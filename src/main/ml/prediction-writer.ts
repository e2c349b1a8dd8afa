/**
 * Bulk writes of predictions into ml_predictions. Rows are appended a DuckDB data chunk (2048
 * rows) at a time from typed arrays into a temporary numeric staging table, then moved with
 * one INSERT ... SELECT that turns class indexes into class names: no appender call per value,
 * no string per row on our side.
 */
import { DOUBLE, DuckDBDataChunk, UTINYINT } from '@duckdb/node-api';
import type { DuckDBAppender, DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import type { CaseStore } from '../store/case-store';

const CHUNK_ROWS = 2048;
const TYPES = [DOUBLE, UTINYINT, DOUBLE, DOUBLE];

export class PredictionWriter {
  private constructor(
    private readonly connection: DuckDBConnection,
    private readonly appender: DuckDBAppender,
  ) {}

  /** Its own connection: appending on the connection that streams the flows would end the stream. */
  static async open(store: CaseStore): Promise<PredictionWriter> {
    const connection = await store.connect();
    try {
      await connection.run(
        'CREATE OR REPLACE TEMP TABLE ml_prediction_staging (flow_id DOUBLE, class UTINYINT, probability DOUBLE, uncertainty DOUBLE)',
      );
      return new PredictionWriter(connection, await connection.createAppender('ml_prediction_staging'));
    } catch (error) {
      connection.closeSync();
      throw error;
    }
  }

  /** Stages `rows` predictions (flow ids as doubles: they are below 2^53). */
  append(
    rows: number,
    flowIds: Float64Array,
    predicted: Uint8Array,
    probability: Float64Array,
    uncertainty: Float64Array,
  ): void {
    for (let start = 0; start < rows; start += CHUNK_ROWS) {
      const end = Math.min(rows, start + CHUNK_ROWS);
      const chunk = DuckDBDataChunk.create(TYPES, end - start);
      // setColumnValues only reads `length` and indexes, which typed arrays provide.
      const column = (values: Float64Array | Uint8Array) =>
        values.subarray(start, end) as unknown as readonly DuckDBValue[];
      chunk.setColumnValues(0, column(flowIds));
      chunk.setColumnValues(1, column(predicted));
      chunk.setColumnValues(2, column(probability));
      chunk.setColumnValues(3, column(uncertainty));
      this.appender.appendDataChunk(chunk);
    }
  }

  /**
   * Replaces the (modelId, captureId) predictions by the staged rows in one transaction, so
   * readers see the old predictions or the new ones, never none.
   */
  async commit(modelId: number, captureId: number, classes: readonly string[]): Promise<void> {
    this.appender.flushSync();
    // Class names through a VALUES list of parameters (never concatenated text).
    const names = classes.map((_, i) => `($i${i}::UTINYINT, $n${i})`).join(', ');
    const params: Record<string, DuckDBValue> = { model: modelId, capture: captureId };
    classes.forEach((name, i) => {
      params[`i${i}`] = i;
      params[`n${i}`] = name;
    });
    await this.connection.run('BEGIN TRANSACTION');
    try {
      await this.connection.run('DELETE FROM ml_predictions WHERE model_id = $model AND capture_id = $capture', {
        model: modelId,
        capture: captureId,
      });
      await this.connection.run(
        `INSERT INTO ml_predictions
         SELECT $model, $capture, CAST(s.flow_id AS BIGINT), c.name, s.probability, s.uncertainty
         FROM ml_prediction_staging s JOIN (VALUES ${names}) AS c(class, name) ON c.class = s.class`,
        params,
      );
      await this.connection.run('COMMIT');
    } catch (error) {
      await this.connection.run('ROLLBACK');
      throw error;
    }
  }

  close(): void {
    try {
      this.appender.closeSync();
    } finally {
      this.connection.closeSync();
    }
  }
}

// The connectors' own table: where each one resumes (src/db/migrations/2026120350_connector_positions.ts).
export interface ConnectorPositionsTable {
  connector: string;
  /** JSON text, shaped by the connector that wrote it. */
  position: string;
  updated_at: number;
}

declare module '../db/schema.ts' {
  interface DB {
    connector_positions: ConnectorPositionsTable;
  }
}

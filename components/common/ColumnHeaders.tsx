/** A table's header row from its column names, each a column header for screen readers. */
export function ColumnHeaders({ columns }: { columns: readonly string[] }) {
  const cells = columns.map((column) => <th key={column} scope="col">{column}</th>);
  return <thead><tr>{cells}</tr></thead>;
}

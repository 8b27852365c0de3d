export const healthRowKey = (row: { accountId: string; kind: string }): string =>
  `${row.accountId}/${row.kind}`;

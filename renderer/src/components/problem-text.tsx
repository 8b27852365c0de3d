import Box from '@cloudscape-design/components/box';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { CellText } from './cell-text.js';

interface Problem {
  code?: string | undefined;
  reason?: string | undefined;
  fix?: string | undefined;
}

/** A problem in a table cell: one line, "CODE: reason"; the fix is in the split panel. */
export function ProblemCell({ code, reason }: Problem) {
  if (!code && !reason) return <>—</>;
  return <CellText>{code ? `${code}: ${reason ?? ''}` : (reason ?? '')}</CellText>;
}

/** A problem in full, for the split panel: what happened, why and the fix. */
export function ProblemText({ code, reason, fix }: Problem) {
  if (!code && !reason && !fix) return <Box color="text-body-secondary">No problem recorded.</Box>;
  return (
    <SpaceBetween size="xxs">
      {code ? <Box variant="code">{code}</Box> : null}
      {reason ? <Box>{reason}</Box> : null}
      {fix ? (
        <Box>
          <b>Fix:</b> {fix}
        </Box>
      ) : null}
    </SpaceBetween>
  );
}

import Box from '@cloudscape-design/components/box';

/** A problem as the user needs it: the code, the one-line reason and the fix. */
export function ProblemText({
  code,
  reason,
  fix,
}: {
  code?: string | undefined;
  reason?: string | undefined;
  fix?: string | undefined;
}) {
  if (!code && !reason && !fix) return <>—</>;
  return (
    <Box variant="small">
      {code ? <Box variant="code">{code}</Box> : null} {reason}
      {fix ? (
        <>
          <br />
          Fix: {fix}
        </>
      ) : null}
    </Box>
  );
}

import TruncatedText from '@cloudscape-design/components/truncated-text';

/**
 * A table cell's text on one line: cut with an ellipsis when the column is too narrow, the whole text on hover
 * and keyboard focus (and in the split panel). Tables stay one line per row, like the AWS console's.
 */
export function CellText({ children }: { children: string }) {
  return <TruncatedText>{children}</TruncatedText>;
}

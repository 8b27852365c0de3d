import type { PaginationProps } from '@cloudscape-design/components/pagination';

/**
 * What a screen reader says for the page arrows and numbers of every paginated table. Worded apart from the
 * wizard's own "Next" and "Previous" buttons, so the two are never confused by ear.
 */
export const PAGINATION_LABELS: PaginationProps.Labels = {
  nextPageLabel: 'Page forward',
  previousPageLabel: 'Page back',
  pageLabel: (page) => `Page ${page}`,
};

/** Rows per table page: a page of the AWS console's size, so no step grows past two screens. */
export const PAGE_SIZE = 15;

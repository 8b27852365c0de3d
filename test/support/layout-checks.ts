/**
 * What every wizard step must look like at the two screen sizes people use (1280×800 laptops, 1920×1080 desktops):
 * one line per table row outside the split panel, no cell that breaks words anywhere, no page taller than two
 * screens, and every error banner with a title, a reason and a fix. Each size is screenshotted (and checked by
 * axe through `screenshot`).
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright';
import { screenshot } from './browser.js';

export const SCREEN_SIZES = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
] as const;

/** The wizard's own tables (the split panel's tables may wrap: that is where long text belongs). */
const MAIN_TABLES = ['Accounts', 'Plan', 'Deploy progress', 'Connection health'];

interface LayoutFindings {
  tallRows: string[];
  breakAnywhere: string[];
  pageHeight: number;
  viewportHeight: number;
  bannersMissingParts: string[];
}

// Runs in the page (a string: this project's type-check has no DOM types).
const MEASURE = `(() => {
  const tables = ${JSON.stringify(MAIN_TABLES)};
  const tallRows = [];
  for (const label of tables) {
    for (const cell of document.querySelectorAll('table[aria-label="' + label + '"] tbody td')) {
      const style = getComputedStyle(cell);
      const lineHeight = Number.parseFloat(style.lineHeight) || 20;
      const content = cell.clientHeight - Number.parseFloat(style.paddingTop) - Number.parseFloat(style.paddingBottom);
      if (content > 2 * lineHeight + 2) {
        tallRows.push(label + ': ' + Math.round(content) + 'px > 2×' + lineHeight + 'px in "' + cell.innerText.slice(0, 60) + '"');
      }
    }
  }
  const breakAnywhere = [];
  for (const element of document.querySelectorAll('td, td *')) {
    const style = getComputedStyle(element);
    if (style.overflowWrap === 'anywhere' || style.wordBreak === 'break-all') {
      breakAnywhere.push(element.tagName + ' "' + (element.innerText ?? '').slice(0, 40) + '"');
    }
  }
  const bannersMissingParts = [];
  for (const body of document.querySelectorAll('[data-flash-type="error"]')) {
    const flash = body.closest('[data-itemid]') ?? body;
    const missing = ['title', 'reason', 'fix'].filter(
      (part) => !(flash.querySelector('[data-part="' + part + '"]')?.textContent ?? '').trim(),
    );
    if (missing.length > 0) bannersMissingParts.push('"' + (flash.textContent ?? '').slice(0, 80) + '" lacks ' + missing.join(', '));
  }
  return {
    tallRows,
    breakAnywhere,
    pageHeight: document.documentElement.scrollHeight,
    viewportHeight: window.innerHeight,
    bannersMissingParts,
  };
})()`;

function layoutFindings(page: Page): Promise<LayoutFindings> {
  return page.evaluate(MEASURE) as Promise<LayoutFindings>;
}

/**
 * At each screen size: screenshot `<step>-<width>x<height>` (axe-checked) and assert the layout rules. The page is
 * left at the first size (the tests' default).
 */
export async function checkStep(page: Page, step: string): Promise<void> {
  for (const size of [...SCREEN_SIZES].reverse()) {
    await page.setViewportSize(size);
    // Two frames: Cloudscape re-measures (truncation, sticky headers) after a resize.
    await page.evaluate(
      'new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))',
    );
    const found = await layoutFindings(page);
    const where = `${step} at ${size.width}×${size.height}`;
    assert.deepEqual(found.tallRows, [], `${where}: table rows taller than two lines`);
    assert.deepEqual(found.breakAnywhere, [], `${where}: cells that break words anywhere`);
    assert.deepEqual(found.bannersMissingParts, [], `${where}: error banners without title, reason and fix`);
    assert.ok(
      found.pageHeight <= 2 * found.viewportHeight,
      `${where}: the page is ${found.pageHeight}px tall, more than two screens (${2 * found.viewportHeight}px)`,
    );
    await screenshot(page, `${step}-${size.width}x${size.height}`);
  }
}

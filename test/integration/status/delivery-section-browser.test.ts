import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from '../../../functions/status-page.ts';
import { deliveryStatusSource } from '../../../functions/wiring/delivery-status-source.ts';
import { launchChromium } from '../../support/browser.ts';
import { deliveryDeps, HOUR, iso, REPO } from '../../support/delivery/delivery-fixtures.ts';
import { type GitHubServer, startGitHubServer } from '../../support/github/index.ts';
import { serveHandler } from '../../support/serve-handler.ts';

// The status page's Delivery section in a real headless Chromium, at desktop and phone width, showing
// metrics read through Octokit from the GitHub stand-in's deployments.
const NOW = Date.parse('2026-12-01T12:00:00Z');
const sha = (i: number) => i.toString(16).padStart(40, 'a');

describe('Delivery section in a browser', () => {
  let gh: GitHubServer;
  let site: { url: string; close(): Promise<void> };
  let url: string;
  let browser: Browser;

  beforeAll(async () => {
    gh = await startGitHubServer({ tokens: ['t'] });
    // Twelve deployments over 24 days: the fourth fails, the eighth is rolled back by alice.
    for (let i = 0; i < 12; i++) {
      const created = NOW - (24 - 2 * i) * 24 * HOUR;
      gh.control.seedCommit({ repo: REPO, sha: sha(i), committedAt: iso(created - 3 * HOUR) });
      gh.control.seedDeployment({
        repo: REPO,
        sha: sha(i),
        environment: 'shop/production',
        production: true,
        createdAt: iso(created),
        statuses: [
          { state: i === 3 ? 'failure' : 'success', at: iso(created + HOUR), description: 'Done (automatic)' },
        ],
      });
      if (i === 7) {
        gh.control.seedDeployment({
          repo: REPO,
          sha: sha(6),
          environment: 'shop/production',
          createdAt: iso(created + 2 * HOUR),
          payload: { rollbackOf: sha(7) },
          statuses: [{ state: 'success', at: iso(created + 3 * HOUR), description: 'Rollback (by alice)' }],
        });
      }
    }
    const deps = deliveryDeps(gh.url, NOW, 't');
    const handler = createHandler({
      token: undefined,
      now: () => new Date(NOW),
      sources: { delivery: deliveryStatusSource(async () => deps) },
    });
    site = await serveHandler(handler);
    url = `${site.url}/status`;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await gh?.close();
  });

  it('shows the four metrics and the timeline of deployments and rollbacks at desktop width', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    expect((await page.goto(url))?.status()).toBe(200);
    const prod = page.locator('#delivery article', { hasText: 'shop/production' });
    const text = await prod.innerText();
    // Staging has no deployments: its figures say so rather than show zeros that look measured.
    expect(await page.locator('#delivery article', { hasText: 'shop/staging' }).innerText()).toMatch(
      /Change failure rate\s+-\s+0 of 0/,
    );
    // 10 changes succeeded (the failed one did not; the rolled-back one did, before it was rolled back).
    expect(text).toMatch(/Deployment frequency\s+0\.37\/day\s+11 in 30 days/);
    expect(text).toMatch(/Lead time for changes\s+4h/);
    expect(text).toMatch(/Change failure rate\s+16\.7%\s+2 of 12, 1 rollback/);
    // The failure is restored by the next deployment two days later, the rollback in an hour: median 1d.
    expect(text).toMatch(/Time to restore\s+1d\s+median of 2/);
    const svg = prod.locator('svg.timeline');
    expect(await svg.count()).toBe(1);
    expect(await svg.locator('circle.mark-success').count()).toBe(10);
    expect(await svg.locator('circle.mark-failed').count()).toBe(1);
    expect(await svg.locator('circle.mark-rolled-back').count()).toBe(1);
    expect(await svg.locator('path.mark-rollback').count()).toBe(1);
    expect(await svg.locator('path.mark-rollback title').textContent()).toContain('by alice');
    // The four figures sit side by side on a wide screen.
    const tops = await prod
      .locator('.figure')
      .evaluateAll((els) => els.map((e) => Math.round((e as unknown as { offsetTop: number }).offsetTop)));
    expect(new Set(tops).size).toBe(1);
    expect(requests.filter((r) => !r.startsWith(url))).toEqual([]);
    if (process.env['SWITCHYARD_SCREENSHOT_DELIVERY'])
      await page.locator('#delivery').screenshot({ path: process.env['SWITCHYARD_SCREENSHOT_DELIVERY'] });
    await page.close();
  });

  it('fits a phone: no sideways scrolling, the timeline within the screen, the figures wrapped', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    await page.goto(url);
    const widths = (await page.evaluate('({ body: document.body.scrollWidth, view: window.innerWidth })')) as {
      body: number;
      view: number;
    };
    expect(widths.body).toBeLessThanOrEqual(widths.view);
    const box = await page.locator('#delivery svg.timeline').first().boundingBox();
    expect(box).not.toBeNull();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(widths.view);
    const tops = await page
      .locator('#delivery article')
      .first()
      .locator('.figure')
      .evaluateAll((els) => els.map((e) => Math.round((e as unknown as { offsetTop: number }).offsetTop)));
    expect(new Set(tops).size).toBeGreaterThan(1);
    await page.close();
  });
});

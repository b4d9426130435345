import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from '../../../functions/status-page.ts';
import { operateShift } from '../../../shared/app/traffic/operate-shift.ts';
import { readShiftStatuses, toShiftRow } from '../../../shared/app/traffic/read-shift-status.ts';
import { tickShifts } from '../../../shared/app/traffic/tick-shifts.ts';
import { launchChromium } from '../../support/browser.ts';
import { serveHandler } from '../../support/serve-handler.ts';
import { shiftConfig, startTrafficHarness, type TrafficHarness } from '../../support/traffic/traffic-harness.ts';

// The status page in a real headless Chromium, showing a traffic shift the test drove through the real
// SDK and our Route 53 server, plus preview and release rows.
describe('status page in a browser', () => {
  let h: TrafficHarness;
  let site: { url: string; close(): Promise<void> };
  let url: string;
  let browser: Browser;

  beforeAll(async () => {
    h = await startTrafficHarness();
    h.server.control.seed(h.zoneId, [
      { action: 'CREATE', record: { name: 'www.example.com', type: 'A', ttl: 60, values: ['192.0.2.10'] } },
    ]);
    const shift = shiftConfig({
      hostedZoneId: h.zoneId,
      steps: { model: 'list', weights: [10, 25, 50, 100] },
      intervalMinutes: 5,
    });
    await operateShift(h.deps, shift, 'start');
    for (let i = 0; i < 3; i++) {
      await tickShifts(h.deps, [shift]);
      h.clock.advanceMinutes(6);
    }
    const now = new Date(h.clock.ms());
    const handler = createHandler({
      token: 'let-me-in',
      now: () => now,
      sources: {
        shifts: async () => (await readShiftStatuses(h.deps, [shift])).map(toShiftRow),
        previews: async () => [
          {
            app: 'web',
            pr: 1234,
            namespace: 'pr-1234-web',
            headSha: 'c0ffee0123456789abcdef0123456789abcdef01',
            deployedSha: 'c0ffee0123456789abcdef0123456789abcdef01',
            since: new Date(now.getTime() - 3 * 3600_000).toISOString(),
            url: 'https://pr-1234.web.preview.example.com',
            state: 'ready',
          },
        ],
        releases: async () => [
          {
            app: 'web',
            environment: 'production',
            track: 'free',
            sha: 'b'.repeat(40),
            image: 'registry/web:bbbbbbb',
            state: 'baking',
            since: now.toISOString(),
          },
        ],
        health: async () => [
          { namespace: 'web-prod', service: 'web', track: 'paid', ok: false, problem: '1/2 ready endpoints' },
        ],
      },
    });
    site = await serveHandler(handler);
    url = site.url;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await h?.close();
  });

  it('renders the state the test created, with the weight chart and step markers', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    const res = await page.goto(`${url}/status?token=let-me-in`);
    expect(res?.status()).toBe(200);
    await expect(page.locator('#previews').innerText()).resolves.toContain('#1234');
    await expect(page.locator('#releases').innerText()).resolves.toMatch(/production\s+free/);
    const shiftText = await page.locator('#shifts').innerText();
    expect(shiftText).toContain('www');
    expect(shiftText).toMatch(/50% Kubernetes, 50% legacy/);
    expect(await page.locator('svg.weights').count()).toBe(1);
    expect(await page.locator('svg.weights circle.step-done').count()).toBe(2);
    expect(await page.locator('svg.weights circle.step-current').count()).toBe(1);
    expect(await page.locator('#health').innerText()).toContain('1/2 ready endpoints');
    // Self-contained: nothing but the page itself was requested.
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.reload();
    expect(requests.filter((r) => !r.startsWith(url))).toEqual([]);
    if (process.env['SWITCHYARD_SCREENSHOT'])
      await page.screenshot({ path: process.env['SWITCHYARD_SCREENSHOT'], fullPage: true });
    await page.close();
  });

  it('is readable on a phone without sideways scrolling of the page', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    await page.goto(`${url}/status?token=let-me-in`);
    // Evaluated in the page: a string keeps the DOM types out of this Node project.
    const widths = (await page.evaluate('({ body: document.body.scrollWidth, view: window.innerWidth })')) as {
      body: number;
      view: number;
    };
    expect(widths.body).toBeLessThanOrEqual(widths.view);
    await page.close();
  });

  it('asks for the token', async () => {
    const page = await browser.newPage();
    const res = await page.goto(`${url}/status`);
    expect(res?.status()).toBe(401);
    await page.close();
  });
});

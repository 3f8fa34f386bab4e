import { jest } from '@jest/globals';
import type * as cache from '@actions/cache';

/** Typed fakes of the @actions/cache functions the action uses; the service is unavailable unless a test says so. */
export const isFeatureAvailable = jest.fn<typeof cache.isFeatureAvailable>(() => false);
export const restoreCache = jest.fn<typeof cache.restoreCache>(async () => undefined);
export const saveCache = jest.fn<typeof cache.saveCache>(async () => 1);

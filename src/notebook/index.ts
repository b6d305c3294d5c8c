/**
 * Helpers for the notebooks in notebooks/: quick/full parameters, data with a plain synthetic
 * fallback, cached fitted augmenters, an updating progress line, markdown tables, and the
 * clean-up that keeps executed notebooks diffable.
 */
export * from './quick';
export * from './display';
export * from './data';
export * from './cache';
export * from './clean';
export * from './experiments';
export * from './figures';
export * from './outputs';
export * from './results';
export * from './table-markdown';
export * from './prose';

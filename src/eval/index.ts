/** Metrics: WA (Eq. 19), UAR (Eq. 20), confusion matrix, pooled and per-fold summaries. */
export * from './metrics';

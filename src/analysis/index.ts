/** Analysis of real vs synthetic rows and of results: t-SNE, PCA, MMD, histograms, tidy rows for figures. */
export * from './rows';
export * from './pca';
export * from './tsne';
export * from './mmd';
export * from './histogram';
export * from './curves';
export * from './paired';
export * from './feature-scores';

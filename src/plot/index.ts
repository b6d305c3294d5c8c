/** Figures: Vega-Lite spec builders and rendering (SVG, PNG, files, inline in tslab). */
export * from './spec';
export * from './render';
export * from './kernel';
export * from './loss';
export * from './tsne';
export * from './histogram';
export * from './uar';
export * from './confusion';
export * from './fig6';
export * from './forest';
export * from './heatmap';

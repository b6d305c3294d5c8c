/** The data layer: the Dataset type, readers, corpus conventions, named datasets, scaling, folds. */
export * from './dataset';
export * from './locate';
export * from './registry';
export * from './synthetic';
export * from './preprocess';
export * from './folds';
export * from './readers/mat';
export * from './readers/npy';
export * from './readers/opensmile';
export * from './corpora/emodb';
export * from './corpora/emodb-is11-names';
export * from './corpora/iemocap';

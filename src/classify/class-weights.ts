/**
 * The classifiers' names for the shared class weights (src/data/class-weights.ts, the one home
 * of the vocabulary augmenters use too).
 */
export { checkClassWeights as checkClassWeightSpec, resolveClassWeights, type ClassWeights as ClassWeightSpec } from '../data/class-weights';

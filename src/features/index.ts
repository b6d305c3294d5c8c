/** Audio to features: WAV reading and an openSMILE-compatible IS11 Speaker State extractor. */
export * from './wav';
export * from './extract';
export * from './csv';
export { IS11_FEATURE_NAMES, is11Features } from './is11';
export { extractIs11Dataset } from './dataset';

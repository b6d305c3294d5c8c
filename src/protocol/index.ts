/**
 * The paper's facts and the protocols that turn them into settings: one home for every number
 * the paper (or the authors' code) fixes — epochs, sets, repeats, the reference tables, and
 * which classifier and augmenter options each protocol (`paper`, `code`) uses. tfjs-free.
 */
export { PAPER_EPOCHS, MAX_SETS, PAPER_REPEATS, TRAINED_METHODS, PAPER_TABLE_I, PAPER_TABLE_II, PAPER_TABLE_III, PAPER_TABLES, paperTable, type PaperDataset, type PaperEntry, type PaperTable } from './paper';
export { PROTOCOLS, PROTOCOL_NAMES, DEFAULT_PROTOCOL, protocol, classifierOptions, augmentOptions, corpusOf, type Protocol, type ProtocolName } from './protocols';

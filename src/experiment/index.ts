/**
 * The experiment runner: the paper's tables from one call, resumable, shardable.
 *
 *   const spec = reproduceGrid('emodb', { quick: true });
 *   const run = await runExperiment(spec, { storeDir: 'results/emodb-quick', onProgress: (p) => ... });
 *   const s = summarize(run.records);
 *   console.log(formatTable(s, PAPER_TABLE_I));
 *   writeResults(s, 'results/emodb-quick/results', run.records);
 */
export { runExperiment, runPrepared, prepareExperiment, normalizeFold, formatProgress, ExperimentAborted, type RunOptions, type RunResult, type Progress, type EpochProgress, type RunEvents, type PreparedExperiment } from './runner';
export { resolveSpec, resolveNormalize, PRENORMALIZED_DATASETS, EXPERIMENT_DEFAULTS, MAX_SETS, compactOptions, type ExperimentSpec, type AugmentSpec, type ClassifierSpec, type ResolvedSpec } from './spec';
export { planUnits, parseShard, shardGroups, PLAN_VERSION, type UnitConfig, type PlannedUnit, type UnitGroup, type Shard } from './plan';
export { ResultStore, verifyRecord, StoreMismatchError, STORE_FORMAT, UNIT_FORMAT, type UnitRecord, type UnitOutcome, type StoreIdentity } from './store';
export { mergeStores, type MergeReport } from './merge';
export { exportStore, readArchive, ARCHIVE_FORMAT, type StoreArchive } from './archive';
export { runFoldByFold, foldArchive, partialFoldArchive, PARTIAL_EVERY, type FoldArchiveEvents } from './fold-archives';
export { readStored, describeMissing, type StoredPart } from './stored';
export { projectUnits, readUnitCosts, formatProjection, gridCost, costModel, CLASSIFIER_KIND, type Projection, type UnitCosts, type UnitKind } from './projection';
export { formatRanges } from './format-ranges';
export { summarize, bestSets, curves, matchedCurves, partialCurves, computeTime, formatComputeTime, fitRows, formatEarlyStops, type FitRow, type ComputeTime, type Summary, type SummaryRow, type UnitRow, type BestRow, type SummarizeOptions } from './summary';
export { innerFolds, splitInner, sharedSets, innerRowsFor, INNER_FOLDS, SELECT_MODES, INNER_ROWS, type InnerFold, type InnerSplit, type InnerRows, type InnerRowsMode, type SelectMode } from './inner';
export { innerChoices, innerColumns, innerRows, isInner, outerRecords, type InnerChoice, type InnerColumns } from './inner-select';
export { pairedTable, formatPaired, type PairedRow, type PairedAgainst, type PairedTableOptions } from './paired-table';
export { toRows, toCsv, writeResults, toDataFrame, loadDanfo, type TableName, type DanfoLike } from './output';
export { reproduceGrid, paperTable, defaultStore, PAPER_DNN, QUICK_EPOCHS, REPRODUCE_DEFAULTS, type PaperDataset, type ReproduceOptions } from './grid';
export { Claims, type ClaimInfo, type ClaimOptions } from './claims';
export { orderByCost } from './schedule';
export { threadsPerJob } from './parallel';
export { formatTable, formatCurves, tableNotes, PAPER_TABLE_I, PAPER_TABLE_II, PAPER_TABLES, PAPER_EPOCHS, TRAINED_METHODS, type PaperEntry, type PaperTable } from './paper';
export { defaultClassifiers, defaultAugmenters, defaultLoader, type ClassifierFactory, type AugmenterFactory, type DataLoader } from './factories';
export { canonicalJson, stableKey, datasetFingerprint } from './hash';
export { writeFileAtomic } from './atomic';
export { evalSpec, runEval, type EvalArgs, type EvalReport } from './eval';

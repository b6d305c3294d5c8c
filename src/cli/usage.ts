/**
 * The usage lines of the CLI's commands, in one module with no imports: `adan-lab --help` lists
 * them without loading the commands, and the commands quote them in their errors.
 */
const METHODS = 'none|copy|noise|smote|gan|cgan|aae|adan|wadan';

export const DATA_INFO_USAGE = 'adan-lab data info [emodb-is11|iemocap-is10|emodb-wav|synthetic|PATH] [--json] [--data-dir DIR]';
export const EVAL_USAGE = `adan-lab eval --data NAME [--classifier svm|dnn] [--augment ${METHODS}] [--sets N] [--epochs E] [--folds 1,2,...] [--seed S] [--repeats R] [--classifier-options JSON] [--augment-options JSON] [--protocol paper|code] [--jobs N] [--store DIR] [--data-dir DIR] [--json]`;
export const REPRODUCE_USAGE = `adan-lab reproduce emodb|iemocap [--quick] [--methods ${METHODS.replace(/\|/g, ',')} (any of)] [--classifiers svm,dnn] [--protocol paper|code] [--jobs N] [--store DIR] [--shard i/N] [--epochs E] [--data NAME] [--data-dir DIR] [--seed S] [--dry-run] [--json]`;
export const RESULTS_USAGE = 'adan-lab results merge --out DIR STORE... | adan-lab results show STORE [--folds 1,2,...] [--curves] [--out DIR] [--json]';
export const BENCH_USAGE = 'adan-lab bench [--json] [--backend native|wasm|cpu|tensorflow] [--threads N] [--epochs N] [--seed S] [--no-profile]';
export const EXTRACT_USAGE = 'adan-lab extract --set is11 WAV_OR_FOLDER... --out features.csv [--engine ts|opensmile] [--config CONF]';
export const NOTEBOOK_USAGE = 'adan-lab notebook';
export const NOTEBOOKS_RUN_USAGE = 'adan-lab notebooks run [--quick] [--in-place] [--out DIR] [FILES...]';

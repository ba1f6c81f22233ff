export { parseRavdessName, ravdessPerformanceKey, type RavdessInfo } from './ravdess.js';
export { NAME_PARSERS, type NameInfo, type NamedCorpus } from './corpora.js';
export { normalizeLabel } from './labels.js';
export { parseCsv, readManifestCsv } from './csv.js';
export { scanDataset, CORPUS_NAMES, type CorpusName, type Manifest, type ManifestRow, type DatasetProblem, type ScanOptions } from './scan.js';

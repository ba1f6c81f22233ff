export { MlpHead, HEAD_DEFAULTS, type HeadConfig, type DenseLayer } from './mlp.js';
export { trainHead, type TrainHeadOptions, type EpochRecord } from './train-head.js';
export { fitTemperature, softmaxRows } from './temperature.js';
export { fitStandardizer, standardize, type Standardizer } from './standardizer.js';
export { loadBundle, saveBundle, type Bundle, type BundleConfig } from './bundle.js';

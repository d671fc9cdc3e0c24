/**
 * `@perpkit/ml`: machine-learning signals for perpkit — a streaming feature pipeline built from
 * `@perpkit/strategy`'s indicators that runs unchanged in backtest and live, training labels, purged walk-forward
 * splits and evaluation, an in-process random forest, a crash-safe model registry with hot-swap and a rollback
 * policy, and the `MlSignal` strategy.
 * @packageDocumentation
 */
export { computeFeatures, createFeaturePipeline, type FeatureMatrix, type FeaturePipeline, type FeaturePipelineOptions, featureWarmupBars } from './features.js'
export { forwardReturnLabels, tripleBarrierLabels } from './labels.js'
export { buildDataset, type Dataset, labelsFor } from './dataset.js'
export { type PurgedSplitOptions, purgedWalkForwardSplits, type Split } from './splits.js'
export { type ClassificationMetrics, classificationMetrics } from './metrics.js'
export { type ForestModel, loadRandomForest, type RandomForestOptions, trainRandomForest } from './forest.js'
export { trainModel, type TrainModelInput } from './train.js'
export { evaluateWalkForward, type WalkForwardFold, type WalkForwardInput, type WalkForwardReport } from './evaluate.js'
export { type LabelSpec, labelSpecSchema, type ModelMetadata, modelMetadataSchema, type NewModelMetadata, VERSION_PATTERN } from './registry/metadata.js'
export { CorruptModelError } from './registry/errors.js'
export { createModelRegistry, type LoadedModel, type ModelEntry, type ModelRegistry, type RegistryPointer } from './registry/registry.js'
export type { ModelEvent } from './registry/events.js'
export { createLiveModel, type LiveModel, type LiveModelOptions } from './registry/live-model.js'
export { createOutcomeTracker, type OutcomeTracker, type ResolvedPrediction } from './registry/outcomes.js'
export { createRollbackPolicy, type RollbackPolicy, type RollbackPolicyConfig } from './registry/rollback-policy.js'
export { createMlSignalDefinition, type MlSignalDefinitionOptions, mlSignalParameters, type MlSignalParams } from './strategy/ml-signal.js'
